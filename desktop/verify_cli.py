"""`worksheet verify WORKSHEET.pdf`: does what a worksheet printed still hold today?

The PDF carries its case and the result it printed; the case is checked again against the
current reference. Exit 0 holds, 1 changed, 2 not a worksheet of this program or damaged.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import EXIT_NOT_READY, EXIT_OK, CliError, reference_from_args

if TYPE_CHECKING:
    from models.case import Case
    from models.store.summary import CheckSummary


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = commands.add_parser(
        "verify", help="re-check the case a worksheet PDF carries and say whether it holds")
    p.add_argument("pdf", type=Path, metavar="WORKSHEET.pdf")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_verify)


def case_of_worksheet(path: Path) -> tuple[Case, CheckSummary]:
    """The case a worksheet PDF carries and what it printed; CliError when it cannot be."""
    from models.case import CaseError
    from reports.attachment import load_worksheet_case

    try:
        return load_worksheet_case(path)
    except CaseError as exc:
        raise CliError(str(exc)) from None


@dataclass(frozen=True)
class Verdict:
    printed: CheckSummary
    current: CheckSummary
    changes: list[str]

    @property
    def status_holds(self) -> bool:
        return self.printed.status == self.current.status

    @property
    def lines_hold(self) -> bool:
        return self.printed.lines == self.current.lines

    @property
    def digest_holds(self) -> bool:
        return self.printed.digest == self.current.digest

    @property
    def holds(self) -> bool:
        return self.status_holds and self.lines_hold and self.digest_holds


def verify(path: Path, args: argparse.Namespace) -> tuple[Case, Verdict]:
    from models.coder import check
    from models.store.summary import describe_changes, summarize

    case, printed = case_of_worksheet(path)
    current = summarize(check(case, reference_from_args(args)))
    return case, Verdict(printed, current, describe_changes(printed, current))


def _lines(summary: CheckSummary) -> list[str]:
    return [line.label() for line in summary.lines]


def verdict_json(path: Path, case: Case, verdict: Verdict) -> dict[str, Any]:
    printed, current = verdict.printed, verdict.current
    return {
        "file": str(path),
        "holds": verdict.holds,
        "status": {"printed": printed.status, "current": current.status,
                   "holds": verdict.status_holds},
        "lines": {"printed": _lines(printed), "current": _lines(current),
                  "holds": verdict.lines_hold},
        "digest": {"printed": printed.digest, "current": current.digest,
                   "holds": verdict.digest_holds},
        "reference_version": {"printed": printed.reference_version,
                              "current": current.reference_version},
        "changes": verdict.changes[1:],
        "summary": "holds" if verdict.holds else _headline(verdict),
        "case": json.loads(case.canonical_json()),
    }


def _headline(verdict: Verdict) -> str:
    from models.store.summary import format_changes

    parts = [format_changes(verdict.changes)] if verdict.changes else []
    if not verdict.digest_holds:
        parts.append(f"digest {verdict.printed.digest[:12]} → {verdict.current.digest[:12]} "
                     f"(reference {verdict.printed.reference_version} → "
                     f"{verdict.current.reference_version})")
    return "; ".join(parts)


def cmd_verify(args: argparse.Namespace) -> int:
    case, verdict = verify(args.pdf, args)
    if args.json:
        print(json.dumps(verdict_json(args.pdf, case, verdict), indent=2, ensure_ascii=False))
    else:
        print(_report(args.pdf, verdict))
    return EXIT_OK if verdict.holds else EXIT_NOT_READY


def _report(path: Path, verdict: Verdict) -> str:
    printed, current = verdict.printed, verdict.current
    codes = ", ".join(line.code for line in printed.lines) or "none"
    if verdict.holds:
        return (f"{path}: holds — status {printed.status.upper()}, lines {codes}, digest "
                f"{printed.digest[:12]} are what the reference {current.reference_version} "
                "gives today")
    return "\n".join([
        f"{path}: CHANGED since it was printed",
        f"  printed: {printed.status.upper()} · lines {codes} · digest {printed.digest[:12]} · "
        f"reference {printed.reference_version}",
        f"  today:   {current.status.upper()} · lines "
        f"{', '.join(line.code for line in current.lines) or 'none'} · digest "
        f"{current.digest[:12]} · reference {current.reference_version}",
        f"  {_headline(verdict)}",
    ])
