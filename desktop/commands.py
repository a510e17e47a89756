"""Subcommands that use the coder and the report: check, render, rules, explain, open."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli import (
    EXIT_NOT_READY,
    EXIT_OK,
    EXIT_UNUSABLE,
    CliError,
    json_text,
    printable,
    reference_from_args,
)

if TYPE_CHECKING:
    from models.case import Case
    from models.reference import Reference
    from models.worksheet import Worksheet

UNUSABLE_RULES = ("invalid-input", "invalid-answer")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = commands.add_parser("check", help="check a case file and print the result")
    p.add_argument("case", type=Path, help="case file (JSON)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("render", help="render case files to PDF worksheets")
    p.add_argument("cases", type=Path, nargs="+", help="case files or folders of case files")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT",
        help="PDF file (one case) or folder (one PDF per case)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="write over an existing file that is not a PDF (never over a case given as input)",
    )
    p.add_argument("--coder", default=os.environ.get("WORKSHEET_CODER", ""), help="coder's name")
    p.add_argument(
        "--facility", default=os.environ.get("WORKSHEET_FACILITY", ""), help="facility name"
    )
    p.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="date prepared (default: today)",
    )
    p.set_defaults(func=cmd_render)

    p = commands.add_parser("rules", help="list every rule")
    p.set_defaults(func=cmd_rules)
    p = commands.add_parser("explain", help="explain one rule and its sources")
    p.add_argument("rule", help="rule id, e.g. included-service")
    p.set_defaults(func=cmd_explain)

    p = commands.add_parser("open", help="open a case in the desktop application")
    p.add_argument("case", type=Path, help="case file (JSON) or a worksheet PDF (opens its case)")
    p.set_defaults(func=cmd_open)


# ----------------------------------------------------------------- shared


def load_checked(path: Path, reference: Reference) -> Worksheet:
    """Load and check one case; unusable input raises CliError."""
    from models.case import CaseError, load_case
    from models.coder import check

    try:
        case: Case = load_case(path)
    except CaseError as exc:
        raise CliError(str(exc)) from None
    worksheet = check(case, reference)
    unusable = [f.message for f in worksheet.findings if f.rule in UNUSABLE_RULES]
    if unusable:
        raise CliError(f"{path}:\n" + "\n".join(unusable))
    return worksheet


# ----------------------------------------------------------------- check


def cmd_check(args: argparse.Namespace) -> int:
    reference = reference_from_args(args)
    worksheet = load_checked(args.case, reference)
    if args.json:
        print(json_text(worksheet.summary()))
    else:
        print(format_report(worksheet))
    return EXIT_OK if worksheet.status == "ready" else EXIT_NOT_READY


def format_report(worksheet: Worksheet) -> str:
    case = worksheet.case
    out = [
        f"{worksheet.family_name}",
        f"payer {worksheet.payer_name} · {case.claim_type or '?'} claim · {case.setting or '?'} · "
        f"date of service {case.date_of_service or '?'}",
        f"claim: {worksheet.claim.describe()}",
        f"status: {worksheet.status.upper()}",
        "",
        "claim lines:",
    ]
    for line in worksheet.lines:
        mods = "-".join(line.modifiers) or "—"
        pointers = ",".join(str(p) for p in line.diagnosis_pointers) or "—"
        extra = "".join(
            f"  {label} {value}"
            for label, value in (("rev", line.revenue_code), ("NDC N4", line.ndc))
            if value
        )
        out.append(
            f"  {line.number}. {line.code:<6} mods {mods:<10} units {line.units}  dx {pointers:<8} {line.descriptor}{extra}"
        )
    if not worksheet.lines:
        out.append("  (none)")
    if worksheet.procedures:
        out += ["", "facility procedure codes (ICD-10-PCS):"]
        out += [f"  {p.code}  {p.description}" for p in worksheet.procedures]
    out += ["", "diagnoses:"]
    for dx in worksheet.diagnoses:
        flag = "" if dx.valid and dx.billable else ("  NOT BILLABLE" if dx.valid else "  INVALID")
        out.append(f"  {dx.pointer}. {dx.code:<8} {dx.description}{flag}")
    for severity in ("error", "warning", "info"):
        found = worksheet.findings_by_severity(severity)
        if not found:
            continue
        out += ["", f"{severity}s:"]
        for f in found:
            ack = f"  [acknowledged: {f.acknowledgement}]" if f.acknowledged else ""
            out.append(f"  {f.rule}: {f.message}{ack}")
            if f.citation and severity != "info":
                out.append(f"      source: {f.citation}")
    out += [
        "",
        f"reference {worksheet.reference_version} · ICD-10-CM {worksheet.icd10cm_release} · digest {worksheet.short_digest}",
        f"releases used: {worksheet.releases_line}",
    ]
    return "\n".join(printable(line, keep_newlines=False) for line in out)


# ----------------------------------------------------------------- render


@dataclass
class RenderJob:
    case_path: Path
    pdf_path: Path


def plan_render(inputs: list[Path], output: Path, *, force: bool = False) -> list[RenderJob]:
    from desktop.cases_cli import case_files

    cases = case_files(inputs)
    one_file = len(cases) == 1 and not any(i.is_dir() for i in inputs) and not output.is_dir()
    if one_file:
        jobs = [RenderJob(cases[0], output)]
    else:
        if output.exists() and not output.is_dir():
            raise CliError(f"{output}: several cases render to a folder, and this is a file")
        names = [c.stem for c in cases]
        if len(set(names)) != len(names):
            raise CliError("two case files have the same name: their PDFs would overwrite each other")
        jobs = [RenderJob(c, output / f"{c.stem}.pdf") for c in cases]
    refuse_unsafe_outputs(jobs, cases, force=force)
    return jobs


def refuse_unsafe_outputs(jobs: list[RenderJob], inputs: list[Path], *, force: bool) -> None:
    """Never write a PDF over an input (also through a link), nor over a file that is not a PDF
    unless --force."""
    identities = {_identity(p) for p in inputs} - {None}
    for job in jobs:
        if _identity(job.pdf_path) in identities or _same_path(job.pdf_path, inputs):
            raise CliError(
                f"{job.pdf_path}: this is one of the case files to render; choose another output"
            )
        if not force and _is_other_file(job.pdf_path):
            raise CliError(
                f"{job.pdf_path}: exists and is not a PDF; choose another output or add --force"
            )


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _same_path(path: Path, inputs: list[Path]) -> bool:
    resolved = os.path.realpath(path)
    return any(os.path.realpath(p) == resolved for p in inputs)


def _is_other_file(path: Path) -> bool:
    """An existing file (through links) that does not start like a PDF."""
    try:
        with open(path, "rb") as handle:
            return handle.read(5) != b"%PDF-"
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        return True
    except OSError:
        return path.exists()


@dataclass(frozen=True)
class RenderOptions:
    reference: Path | None
    facility: str
    coder: str
    prepared: date


@dataclass(frozen=True)
class RenderOutcome:
    job: RenderJob
    status: str = ""
    error: str = ""


def render_job(job: RenderJob, reference: Reference, options: RenderOptions) -> RenderOutcome:
    """Check one case and write its PDF atomically; problems come back as text.

    A failure of the reference is not the case's: it propagates and stops the batch."""
    from desktop.cli import reference_failures
    from models.atomic import OutputError
    from reports.pdf import write_pdf

    try:
        worksheet = load_checked(job.case_path, reference)
        write_pdf(
            job.pdf_path,
            worksheet,
            facility=options.facility,
            coder=options.coder,
            prepared=options.prepared,
        )
    except (CliError, OutputError) as exc:
        return RenderOutcome(job, error=str(exc))
    except reference_failures():
        raise
    except Exception as exc:  # one bad case must not stop the others: reported in the summary
        return RenderOutcome(job, error=f"{job.case_path}: cannot be rendered ({type(exc).__name__})")
    return RenderOutcome(job, status=worksheet.status)


_WORKER_REFERENCE: list[Reference] = []


def _render_in_worker(jobs: list[RenderJob], options: RenderOptions) -> list[RenderOutcome]:
    if not _WORKER_REFERENCE:
        from models.reference import open_reference

        _WORKER_REFERENCE.append(open_reference(options.reference, build_if_needed=False))
    return [render_job(job, _WORKER_REFERENCE[0], options) for job in jobs]


def render_all(
    jobs: list[RenderJob], reference: Reference, options: RenderOptions
) -> Iterator[RenderOutcome]:
    """Render in this process, or across the machine's cores for a large batch."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        for job in jobs:
            yield render_job(job, reference, options)
        return
    yield from _render_in_pool(jobs, reference, options, workers)


def _render_in_pool(
    jobs: list[RenderJob], reference: Reference, options: RenderOptions, workers: int
) -> Iterator[RenderOutcome]:
    """Worker processes that never outlive this one: they ignore Ctrl+C (this process stops
    them), are killed on SIGTERM here, and the kernel ends them if this process dies."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from desktop.workers import TerminateOnSignal, end_workers, init_worker, remove_partial_files

    done = 0
    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(os.getpid(),))
    try:
        with TerminateOnSignal():
            # Futures are never cancelled: ending the workers fails the pending ones instead,
            # which the pool handles (cancelling them first trips it up in Python 3.11).
            chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
            futures = [pool.submit(_render_in_worker, chunk, options) for chunk in chunks]
            for future in futures:
                for outcome in future.result():
                    done += 1
                    yield outcome
    except BrokenProcessPool:  # a worker died: render what is left here, one by one
        end_workers(pool)
        for job in jobs[done:]:
            yield render_job(job, reference, options)
    except BaseException:
        end_workers(pool)
        remove_partial_files(job.pdf_path for job in jobs[done:])
        raise
    finally:
        pool.shutdown(wait=True)


CHUNK = 8
PARALLEL_THRESHOLD = 16


def cmd_render(args: argparse.Namespace) -> int:
    jobs = plan_render(args.cases, args.output, force=args.force)
    if len(jobs) > 1:
        try:
            args.output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot create the folder {args.output}: {exc.strerror}") from None
    reference = reference_from_args(args)
    options = RenderOptions(reference.path, args.facility, args.coder, args.date or date.today())
    progress = Progress(len(jobs))
    rendered = blocked = 0
    failures: list[str] = []
    for outcome in render_all(jobs, reference, options):
        if outcome.error:
            failures.append(outcome.error)
        else:
            rendered += 1
            blocked += outcome.status == "blocked"
            if len(jobs) == 1:
                print(printable(f"{outcome.job.pdf_path}: {outcome.status}", keep_newlines=False))
        progress.step(outcome.job.case_path.name)
    progress.done()
    for failure in failures:
        print(f"worksheet: {printable(failure)}", file=sys.stderr)
    if len(jobs) > 1 or failures:
        print(f"rendered {rendered}, blocked {blocked}, failed {len(failures)}")
    return EXIT_UNUSABLE if failures else EXIT_OK


class Progress:
    """A one-line progress bar on a terminal; nothing when stderr is not one."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.active = total > 1 and sys.stderr.isatty()

    def step(self, label: str) -> None:
        self.count += 1
        if self.active:
            filled = int(30 * self.count / self.total)
            bar = "#" * filled + "-" * (30 - filled)
            print(
                f"\r[{bar}] {self.count}/{self.total} {printable(label[:40], keep_newlines=False):<40}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        if self.active:
            print(file=sys.stderr)


# ----------------------------------------------------------------- rules, open


def cmd_rules(args: argparse.Namespace) -> int:
    from models.rules import RULES

    for rule in RULES.values():
        print(f"{rule.id:<30} {rule.severity:<8} {rule.title}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from models.rules import RULES

    rule = RULES.get(args.rule)
    if rule is None:
        raise CliError(f"no rule {args.rule!r}; `worksheet rules` lists them")
    print(f"{rule.id} ({rule.severity}): {rule.title}\n")
    print(rule.explanation)
    if rule.fix:
        print(f"\nHow to fix: {rule.fix}")
    print(f"\nSources: {rule.citation}")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    from desktop.launch import launch_gui

    return launch_gui(args.case, args.reference)
