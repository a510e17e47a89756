"""The files a worksheet PDF carries: its case (JSON) and the check result it printed.

Written into the PDF's EmbeddedFiles name tree while reportlab saves the document (no
dates, no random ids: the same worksheet still gives the same bytes); read back with pypdf.
"""

from __future__ import annotations

import io
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.case import Case, CaseError, parse_case

if TYPE_CHECKING:
    from models.store.summary import CheckSummary

CASE_FILE = "case.json"
CHECK_FILE = "worksheet-check.json"


class AttachmentError(CaseError):
    """The PDF is not a worksheet of this program, or it is damaged."""


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    description: str
    mime: str = "application/json"


def worksheet_attachments(case_json: str, check_json: str) -> tuple[Attachment, ...]:
    return (
        Attachment(CASE_FILE, case_json.encode("utf-8"),
                   "The case this worksheet was made from (open it with the program)"),
        Attachment(CHECK_FILE, check_json.encode("utf-8"),
                   "Status, claim lines, findings and digest as this worksheet printed them"),
    )


def _mime_name(mime: str) -> str:
    """A PDF name for a MIME type: its "/" written as #2F (reportlab's PDFName keeps it)."""
    return "/" + mime.replace("#", "#23").replace("/", "#2F")


def embed(canvas: Any, attachments: tuple[Attachment, ...]) -> None:
    """Add the files to the document of a reportlab canvas (before it is saved)."""
    if not attachments:
        return
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

    document = canvas._doc
    names: list[Any] = []
    for item in attachments:
        stream = PDFStream(
            PDFDictionary({"Type": PDFName("EmbeddedFile"), "Subtype": _mime_name(item.mime),
                           "Params": PDFDictionary({"Size": len(item.data)})}),
            content=zlib.compress(item.data, 9),
        )
        stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
        spec = PDFDictionary({
            "Type": PDFName("Filespec"), "F": PDFString(item.name), "UF": PDFString(item.name),
            "Desc": PDFString(item.description), "AFRelationship": PDFName("Source"),
            "EF": PDFDictionary({"F": document.Reference(stream)}),
        })
        names += [PDFString(item.name), document.Reference(spec)]
    document.Catalog.Names = PDFDictionary(
        {"EmbeddedFiles": PDFDictionary({"Names": PDFArray(names)})})


def read_attachments(pdf: bytes, origin: str = "PDF") -> dict[str, bytes]:
    """The embedded files of a PDF by name; AttachmentError when it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # its repair notes are not for the coder
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        return {name: data[0] for name, data in reader.attachments.items() if data}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            zlib.error) as exc:
        raise AttachmentError(f"{origin}: damaged or not a readable PDF ({exc})") from None
    finally:
        pypdf_log.setLevel(level)


@dataclass(frozen=True)
class CarriedCase:
    """What a worksheet PDF carries: the case text and the result it printed (JSON text)."""

    case_text: str
    check_text: str


def read_worksheet(pdf: bytes, origin: str) -> CarriedCase:
    """The case a worksheet of this program carries; AttachmentError names what is wrong."""
    if not pdf.startswith(b"%PDF-"):
        raise AttachmentError(f"{origin}: not a PDF file")
    files = read_attachments(pdf, origin)
    missing = [name for name in (CASE_FILE, CHECK_FILE) if name not in files]
    if missing:
        raise AttachmentError(
            f"{origin}: not a worksheet of this program (it carries no {missing[0]})")
    try:
        return CarriedCase(files[CASE_FILE].decode("utf-8"), files[CHECK_FILE].decode("utf-8"))
    except UnicodeDecodeError:
        raise AttachmentError(f"{origin}: damaged (its attached case is not UTF-8 text)") from None


def read_pdf_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AttachmentError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AttachmentError(f"{path}: is a folder, not a worksheet") from None
    except OSError as exc:
        raise AttachmentError(f"{path}: cannot read ({exc.strerror})") from None


def load_worksheet_case(path: Path) -> tuple[Case, CheckSummary]:
    """The case a worksheet PDF carries and the result it printed (CaseError if none)."""
    from pydantic import ValidationError

    from models.store.summary import CheckSummary

    carried = read_worksheet(read_pdf_file(path), str(path))
    case = parse_case(carried.case_text, f"{path} (attached case)")
    try:
        printed = CheckSummary.from_json(carried.check_text)
    except (ValidationError, ValueError):
        raise AttachmentError(f"{path}: damaged (its attached check result cannot be read)"
                              ) from None
    return case, printed


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == ".pdf"
