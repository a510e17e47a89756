"""Write a file so that a failure leaves no partial file and any old file intact."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class OutputError(OSError):
    """A file could not be written; the message names the file and the reason."""


def atomic_write_bytes(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write to a temporary file in the target's folder, flush it to disk, then rename it.

    A symbolic link is written through: its target gets the new content and the link stays.
    A read-only file is refused, never replaced. ``private`` files (patient data in the user's
    data folder) are readable by their owner only.
    """
    target = _write_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    _refuse_read_only(path, target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, PRIVATE_FILE if private else _mode_for(target))
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def _write_target(path: Path) -> Path:
    """The file a write to ``path`` should replace: the end of a chain of links, else itself."""
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def _refuse_read_only(path: Path, target: Path) -> None:
    try:
        mode = target.stat().st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {path}: it is a folder")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise OutputError(
            f"cannot write {path}: the file is read-only. Choose another name, or make it "
            "writable first if it may be replaced"
        )


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual one (0666 less the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write_text(path: Path, text: str, *, private: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), private=private)


def private_folder(path: Path) -> Path:
    """Create (or tighten) a per-user folder: owner only (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FOLDER:
            path.chmod(PRIVATE_FOLDER)
    return path
