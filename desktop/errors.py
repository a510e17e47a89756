"""Unexpected exceptions: a dialog with the details, and a log without patient data.

The log holds where it happened (source files, lines, functions) and the kind of error, never
an exception's message: messages can quote the case (a note, a diagnosis, a file name). The
log is the user's only (0600, in the 0700 data folder)."""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from models.atomic import PRIVATE_FILE, private_folder

LOG_NAME = "worksheet.log"
REDACTED = "[redacted]"
_INPUT_VALUE = re.compile(r"input_value=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)")

logger = logging.getLogger("worksheet.desktop")


def log_path() -> Path:
    from models.paths import user_data_dir

    return user_data_dir() / LOG_NAME


class _PrivateLog(RotatingFileHandler):
    """Every log file it creates (also after rotating) is readable by its owner only."""

    def _open(self):  # type: ignore[no-untyped-def]
        return open(
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
            opener=lambda name, flags: os.open(name, flags, PRIVATE_FILE),
        )


def _handler() -> logging.Handler | None:
    path = log_path()
    try:
        private_folder(path.parent)
        handler = _PrivateLog(path, maxBytes=512_000, backupCount=2, encoding="utf-8")
        os.chmod(path, PRIVATE_FILE)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def redact(text: str, secrets: Iterable[str]) -> str:
    """Remove patient values (and pydantic's echoed inputs) from a message."""
    text = _INPUT_VALUE.sub(f"input_value={REDACTED}", text)
    for secret in sorted({s for s in secrets if s and len(s) >= 2}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def describe(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None, secrets: Iterable[str]
) -> str:
    """Where it happened (files, lines, functions) and the redacted message, for the dialog.

    Only the frames are kept from the traceback, never the source lines' values.
    """
    message = redact(str(value), list(secrets))
    return f"{where(kind, tb)}: {message}"


def where(kind: type[BaseException], tb: TracebackType | None) -> str:
    """The traceback's frames and the error's kind: what the log keeps."""
    frames = traceback.extract_tb(tb)
    lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    return "Traceback (most recent call last):\n" + "\n".join(lines) + f"\n{kind.__name__}"


def install(
    show: Callable[[str, str], None], secrets: Callable[[], Iterable[str]]
) -> Callable[..., None]:
    """Install sys.excepthook: log the redacted report, then ``show(summary, details)``."""
    handler = _handler()
    if handler is not None and handler not in logger.handlers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        try:
            values = list(secrets())
        except Exception:
            values = []
        details = describe(kind, value, tb, values)
        logger.error("unexpected error\n%s", where(kind, tb))
        for h in logger.handlers:
            h.flush()
        summary = (
            f"Something went wrong: {kind.__name__}. Your case is still open; save it under a "
            f"new name to be safe. The details were written to {log_path()} (without patient data)."
        )
        try:
            show(summary, details)
        except Exception:
            sys.__excepthook__(kind, value, tb)

    sys.excepthook = hook
    return hook
