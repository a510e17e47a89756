"""What every official-file loader shares: the error, the description of a file,
line-numbered streaming reads in the encodings CMS ships, and date parsing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

KINDS = ("cpt", "hcpcs", "icd10cm", "ncci-ptp", "ncci-mue", "nucc")
EDIT_SETS = ("practitioner", "outpatient")
KIND_NAMES = {
    "cpt": "CPT descriptors",
    "hcpcs": "HCPCS",
    "icd10cm": "ICD-10-CM",
    "ncci-ptp": "NCCI PTP",
    "ncci-mue": "NCCI MUE",
    "nucc": "NUCC taxonomy",
}
# The text files CMS ships are Windows-1252 (a superset of Latin-1's printable range).
CMS_TEXT_ENCODING = "cp1252"
_CHUNK = 1 << 16


class OfficialFileError(ValueError):
    """An official file cannot be loaded; the message names the file, the line and what was
    expected."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class FileInfo:
    """What one parsed file is: its kind, release, the date it governs from and its rows."""

    kind: str
    release: str
    effective_from: date | None
    edit_set: str | None
    rows: int

    @property
    def label(self) -> str:
        """'NCCI PTP 2026Q4 practitioner', 'ICD-10-CM FY2027', 'HCPCS 2026 Oct'."""
        parts = [KIND_NAMES[self.kind], self.release, self.edit_set or ""]
        return " ".join(p for p in parts if p)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def numbered_lines(path: Path, encoding: str = CMS_TEXT_ENCODING) -> Iterator[tuple[int, str]]:
    """(line number, text without the line break), streamed; a byte the encoding does not
    have, or a NUL (a UTF-16 file), is an error naming the line."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if b"\0" in raw:
                raise OfficialFileError(
                    path,
                    number,
                    f"unexpected encoding: NUL bytes (UTF-16?); expected {encoding} text",
                )
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise OfficialFileError(
                    path,
                    number,
                    f"unexpected encoding: byte 0x{raw[exc.start]:02x} is not {encoding} text",
                ) from None
            yield number, text.rstrip("\r\n")


def text_lines(path: Path, encoding: str = CMS_TEXT_ENCODING) -> Iterator[tuple[int, str]]:
    """Like :func:`numbered_lines`, decoding in large blocks (the fast path for big files);
    on a decoding error the slow path finds and names the line."""
    try:
        handle = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None
    number = 0
    try:
        with handle:
            for number, raw in enumerate(handle, start=1):
                text = raw.rstrip("\r\n")
                if number == 1 and "\0" in text:
                    raise OfficialFileError(
                        path,
                        1,
                        f"unexpected encoding: NUL bytes (UTF-16?); expected {encoding} text",
                    )
                yield number, text
    except UnicodeDecodeError:
        for _ in numbered_lines(path, encoding):
            pass
        raise OfficialFileError(
            path, number + 1, f"unexpected encoding: expected {encoding} text"
        ) from None


def text_encoding(path: Path) -> str:
    """UTF-8 when the file decodes as UTF-8 (with or without a BOM), else Windows-1252."""
    try:
        with path.open("rb") as handle:
            head = handle.read(3)
            handle.seek(0)
            for raw in handle:
                raw.decode("utf-8")
    except UnicodeDecodeError:
        return CMS_TEXT_ENCODING
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None
    return "utf-8-sig" if head == b"\xef\xbb\xbf" else "utf-8"


def yyyymmdd(path: Path, line: int, text: str, field: str) -> date:
    """A CMS date field (YYYYMMDD)."""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 else _bad()
    except ValueError:
        raise OfficialFileError(
            path, line, f"{field}: expected a date YYYYMMDD, found {text!r}"
        ) from None


def _bad() -> date:
    raise ValueError


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_start(label: str) -> date:
    match = re.fullmatch(r"(\d{4})Q([1-4])", label)
    if match is None:
        raise ValueError(label)
    return date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
