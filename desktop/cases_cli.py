"""`worksheet cases …`: the case library from the command line (import, list, show, export,
recheck). Thin: the store and the coder do the work; this parses, prints and sets the exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from json.encoder import encode_basestring  # the C one when there is one
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import EXIT_NOT_READY, EXIT_OK, EXIT_UNUSABLE, CliError, reference_from_args

if TYPE_CHECKING:
    from models.reference import Reference
    from models.store import CaseStore, NewVersion


def _lower(text: str) -> str:
    """Status, payer and family ids are lower case; READY or THP mean the same."""
    return text.strip().lower()


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cases = commands.add_parser(
        "cases", help="the case library: import, list, show, export and re-check stored cases")
    _store_option(cases, argparse.SUPPRESS)
    actions = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)

    p = actions.add_parser("import", help="store case files (JSON); prints the new ids")
    p.add_argument("inputs", type=Path, nargs="+", metavar="FILE_OR_FOLDER")
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("list", help="list stored cases, most recently changed first")
    p.add_argument("--status", type=_lower, choices=("ready", "review", "blocked"), default="")
    p.add_argument("--payer", type=_lower, default="", help="payer id, e.g. thp")
    p.add_argument("--family", type=_lower, default="", help="procedure family id")
    p.add_argument("--text", default="", help="words to find (account, codes, …)")
    p.add_argument("--changed", action="store_true",
                   help="only cases the last re-check changed")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="at most N cases")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("show", help="a case and its history")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_show)

    p = actions.add_parser("export", help="write a case's JSON as imported or last saved")
    p.add_argument("id", type=int)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.json")
    p.add_argument("--version", type=int, default=None, help="an earlier version")
    p.set_defaults(func=cmd_export)

    p = actions.add_parser(
        "recheck", help="re-check every stored case against the current reference")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_recheck)
    for action in actions.choices.values():
        _store_option(action, argparse.SUPPRESS)
    cases.set_defaults(store=None)


def _store_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--store", default=default, metavar="URL",
        help="case store: a file path or postgresql://… (default: WORKSHEET_STORE, "
             "else your own store file)")


def open_store_from(args: argparse.Namespace) -> CaseStore:
    from models.store import StoreError, open_store

    try:
        return open_store(args.store)
    except StoreError as exc:
        raise CliError(str(exc)) from None


class _Stored:
    """Opens the store named on the command line; store errors become CliError."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def __enter__(self) -> CaseStore:
        self.store = open_store_from(self.args)
        return self.store

    def __exit__(self, kind: object, error: object, _tb: object) -> None:
        from models.store import StoreError

        self.store.close()
        if isinstance(error, StoreError):
            raise CliError(str(error)) from None


# ----------------------------------------------------------------- import


def case_files(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(item.glob("*.json"))
            if not found:
                raise CliError(f"{item}: no case files (*.json) in this folder")
            files += found
        else:
            files.append(item)
    return files


def read_case_text(path: Path) -> str:
    """The case file's text, read as `check` reads it: a small regular file only."""
    from models.case import CaseError
    from models.case import read_case_text as read_text

    try:
        return read_text(path)
    except CaseError as exc:
        raise CliError(str(exc)) from None


def cmd_import(args: argparse.Namespace) -> int:
    from models.store import current_user
    from models.store.checking import check_texts

    files = case_files(args.inputs)
    texts = [(read_case_text(path), str(path)) for path in files]
    reference = reference_from_args(args)
    progress = Progress(len(texts), "checking")

    def checked_versions() -> Iterator[NewVersion]:
        """Stored as they are checked (in one transaction); a file that cannot be checked
        stops the import after every file was tried, and nothing is stored."""
        failures: list[str] = []
        for checked in check_texts(texts, reference, progress.step):
            if checked.version is None:
                failures.append(checked.error)
            elif not failures:
                yield checked.version
        progress.done()
        if failures:
            raise CliError("\n".join(failures) + "\nnothing imported: fix these files first")

    with _Stored(args) as store:
        ids = store.create_many(checked_versions(), current_user())
    for case_id in ids:
        print(case_id)
    return EXIT_OK


# ----------------------------------------------------------------- list, show, export


def cmd_list(args: argparse.Namespace) -> int:
    from models.store import CaseFilter

    where = CaseFilter(status=args.status, payer=args.payer, family=args.family,
                       text=args.text, changed_only=args.changed)
    with _Stored(args) as store:
        rows = store.list_cases(where, limit=args.limit)
        changes = store.changes(where) if args.changed else {}
    if args.json:
        sys.stdout.write(json_array([row.to_json() for row in rows]) + "\n")
    elif rows:
        sys.stdout.write("\n".join(_list_lines(rows, changes)) + "\n")
    else:
        print("no cases")
    return EXIT_OK


def _list_lines(rows: list[Any], changes: dict[int, str]) -> Iterator[str]:
    yield (f"{'id':>6}  {'account':<14} {'service':<10} {'family':<20} {'payer':<9} "
           f"{'status':<8} {'v':>3}  last change")
    local: dict[str, str] = {}  # cases imported together share one time stamp
    for row in rows:
        when = local.get(row.updated_at) or local.setdefault(row.updated_at,
                                                              _when(row.updated_at, seconds=False))
        yield (f"{row.id:>6}  {row.account or '—':<14} {row.date_of_service or '—':<10} "
               f"{row.family:<20} {row.payer or '—':<9} {row.status.upper():<8} "
               f"{row.version:>3}  {when} {row.updated_by}")
        if row.id in changes:
            yield f"        re-check: {changes[row.id]}"


def json_array(objects: list[dict[str, Any]]) -> str:
    """`json.dumps(objects, indent=2, ensure_ascii=False)` for flat objects (values: text,
    numbers, true/false, null), the same text built with json's C string encoder (its
    indenting encoder is pure Python, and 10,000 listed cases take it a tenth of a second)."""
    if not objects:
        return "[]"
    return "[\n" + ",\n".join(map(_json_object, objects)) + "\n]"


def _json_object(fields: dict[str, Any]) -> str:
    if not fields:
        return "  {}"
    lines = ",\n".join(f"    {encode_basestring(key)}: {_json_value(value)}"
                        for key, value in fields.items())
    return "  {\n" + lines + "\n  }"


def _json_value(value: Any) -> str:
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False)


def cmd_show(args: argparse.Namespace) -> int:
    with _Stored(args) as store:
        stored = store.get(args.id)
        history = store.history(args.id)
    row, change = stored.row, stored.change
    if args.json:
        document = {
            **row.to_json(),
            "case": json.loads(stored.case_text),
            "check": stored.summary.model_dump(mode="json") if stored.summary else None,
            "recheck_change": change or None,
            "history": [v.to_json() for v in history.versions],
            "worksheets": [w.to_json() for w in history.worksheets],
            "checks": [c.to_json() for c in history.checks],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return EXIT_OK
    print("\n".join(_show_lines(row, stored.summary, history, change)))
    return EXIT_OK


def _when(stamp: str, *, seconds: bool = True) -> str:
    from models.store.errors import local_time

    return local_time(stamp, seconds=seconds)


def _show_lines(row: Any, summary: Any, history: Any, change: str) -> Iterator[str]:
    yield (f"case {row.id} · account {row.account or 'not entered'} · {row.family} · "
           f"payer {row.payer or '—'} · date of service {row.date_of_service or '—'}")
    yield (f"status {row.status.upper()} · version {row.version} · last saved "
           f"{_when(row.updated_at)} by {row.updated_by}")
    if summary is not None:
        codes = ", ".join(line.code for line in summary.lines) or "none"
        yield f"claim lines: {codes} · reference {summary.reference_version}"
    if change:
        yield f"last re-check: {change}"
    yield "versions:"
    for v in history.versions:
        yield (f"  v{v.version:<3} {_when(v.saved_at)}  {v.saved_by:<16} {v.status.upper():<8} "
               f"reference {v.reference_version} · digest {v.digest[:12]}")
    if history.worksheets:
        yield "worksheets:"
        for w in history.worksheets:
            yield (f"  v{w.version:<3} {_when(w.rendered_at)}  {w.rendered_by:<16} "
                   f"{w.status.upper():<8} digest {w.digest[:12]} · PDF SHA-256 {w.pdf_sha256}")
    if history.checks:
        yield "re-checks:"
        for c in history.checks:
            yield (f"  v{c.version:<3} {_when(c.checked_at)}  {c.checked_by:<16} "
                   f"{c.status.upper():<8} reference {c.reference_version}")


def cmd_export(args: argparse.Namespace) -> int:
    from models.atomic import OutputError, atomic_write_text

    with _Stored(args) as store:
        stored = store.get(args.id, args.version)
    try:
        atomic_write_text(args.output, stored.case_text)
    except OutputError as exc:
        raise CliError(str(exc)) from None
    version = args.version or stored.row.version
    print(f"case {args.id} version {version} → {args.output}")
    return EXIT_OK


# ----------------------------------------------------------------- recheck


def cmd_recheck(args: argparse.Namespace) -> int:
    from models.store.recheck import recheck_store

    reference = reference_from_args(args)
    with _Stored(args) as store:
        progress = Progress(0, "re-checking")
        report = recheck_store(store, reference, progress=progress.update)
        progress.done()
        rows = {row.id: row for row in _rows_of(store, [c.case_id for c in report.changed])}
    if args.json:
        print(json.dumps(_recheck_json(report, rows), indent=2, ensure_ascii=False))
    else:
        print(f"re-checked {report.checked} cases against reference "
              f"{report.reference_version}: {len(report.changed)} changed")
        for change in report.changed:
            row = rows.get(change.case_id)
            label = f"{row.account or '—'} {row.date_of_service or '—'} {row.payer}" if row else ""
            print(f"  case {change.case_id} ({label}): {change.text}")
    for case_id, error in report.failed:
        print(f"worksheet: case {case_id} cannot be checked: {error}", file=sys.stderr)
    if report.failed:
        return EXIT_UNUSABLE
    return EXIT_NOT_READY if report.changed else EXIT_OK


def _rows_of(store: CaseStore, ids: list[int]) -> list[Any]:
    return [store.get(case_id).row for case_id in ids[:10_000]]


def _recheck_json(report: Any, rows: dict[int, Any]) -> dict[str, Any]:
    changed = []
    for change in report.changed:
        row = rows.get(change.case_id)
        changed.append({
            **(row.to_json() if row else {"id": change.case_id}),
            "status_before": change.before,
            "status": change.after,
            "changes": change.changes[1:],
            "summary": change.text,
        })
    return {"reference_version": report.reference_version, "checked": report.checked,
            "changed": changed,
            "failed": [{"id": case_id, "error": error} for case_id, error in report.failed]}


class Progress:
    """A progress bar on a terminal's stderr; nothing when stderr is not a terminal."""

    def __init__(self, total: int, label: str) -> None:
        self.total = total
        self.count = 0
        self.label = label
        self.active = sys.stderr.isatty()

    def update(self, count: int, total: int) -> None:
        self.count, self.total = count - 1, total
        self.step()

    def step(self) -> None:
        self.count += 1
        if self.active and self.total > 1 and (self.count % 50 == 0 or
                                               self.count == self.total):
            filled = int(30 * self.count / self.total)
            print(f"\r{self.label} [{'#' * filled}{'-' * (30 - filled)}] "
                  f"{self.count}/{self.total}", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.active and self.total > 1:
            print(file=sys.stderr)


# ----------------------------------------------------------------- after a reference load


def recheck_after_reference_load(reference: Reference) -> str:
    """Re-check the stored cases against a newly loaded reference; one line saying how many
    changed ('' when there is no store yet). A store problem is said, never fatal: the
    reference itself did load."""
    from models.store import STORE_ENV, StoreError, default_store_path, open_store
    from models.store.recheck import recheck_store

    if not os.environ.get(STORE_ENV) and not default_store_path().exists():
        return ""
    try:
        with open_store() as store:
            report = recheck_store(store, reference)
    except StoreError as exc:
        return f"stored cases not re-checked: {exc}"
    listing = " (worksheet cases list --changed)" if report.changed else ""
    return (f"re-checked {report.checked} stored cases against reference "
            f"{report.reference_version}: {len(report.changed)} changed{listing}")
