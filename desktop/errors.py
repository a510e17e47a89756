"""Unexpected exceptions: a dialog with the details, and a log without patient data."""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_NAME = "worksheet.log"
REDACTED = "[redacted]"
_INPUT_VALUE = re.compile(r"input_value=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)")

logger = logging.getLogger("worksheet.desktop")


def log_path() -> Path:
    from models.paths import user_data_dir

    return user_data_dir() / LOG_NAME


def _handler() -> logging.Handler | None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=512_000, backupCount=2, encoding="utf-8")
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
    """Where it happened (files, lines, functions) and the redacted message.

    Only the frames are kept from the traceback, never the source lines' values.
    """
    frames = traceback.extract_tb(tb)
    lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    message = redact(str(value), list(secrets))
    return "Traceback (most recent call last):\n" + "\n".join(lines) + f"\n{kind.__name__}: {message}"


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
        logger.error("unexpected error\n%s", details)
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
