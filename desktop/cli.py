"""The `worksheet` command: no arguments opens the GUI; subcommands run headless.

Thin by design: it parses arguments, builds or loads a Case, calls the coder
and the report, and prints or writes the result. No coding logic lives here.
Exit codes: 0 ready / success, 1 review or blocked, 2 unusable input or output.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import argparse

    from models.reference import Reference

EXIT_OK, EXIT_NOT_READY, EXIT_UNUSABLE = 0, 1, 2


class CliError(Exception):
    """A problem to report in one line and exit 2."""


# Characters a terminal acts on instead of showing: C0/C1 controls (ESC starts a screen command,
# CR overwrites the line) and the bidirectional overrides that reorder what is shown.
_TERMINAL_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, keep_newlines: bool = True) -> str:
    """Text for a terminal: every control character shown escaped (\\x1b), never acted on."""
    value = str(text)
    if not keep_newlines:
        value = value.replace("\n", "\\n")
    return _TERMINAL_CONTROLS.sub(_escaped, value)


def json_text(data: object) -> str:
    """JSON for a terminal or a pipe: characters a terminal acts on are \\u escapes."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _TERMINAL_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def reference_failures() -> tuple[type[BaseException], ...]:
    """The errors of an unusable reference database (imported only once one was raised)."""
    import sqlite3

    from models.reference import ReferenceUnavailable

    return (ReferenceUnavailable, sqlite3.DatabaseError)


def reference_from_args(args: argparse.Namespace) -> Reference:
    """The reference the command line names (or the default), or a CliError."""
    from models.reference import ReferenceUnavailable, open_reference

    try:
        return open_reference(args.reference)
    except ReferenceUnavailable as exc:
        raise CliError(str(exc)) from None


# ----------------------------------------------------------------- reference


def cmd_reference_build(args: argparse.Namespace) -> int:
    import sqlite3
    import time

    from models.lifecycle import rebuild
    from models.reference import ReferenceUnavailable, SourceDataError, build

    start = time.perf_counter()
    try:
        path = build(args.out) if args.out else rebuild(_named(args))
    except (ReferenceUnavailable, SourceDataError) as exc:
        raise CliError(str(exc)) from None
    except (sqlite3.DatabaseError, OSError) as exc:  # e.g. a full disk while writing
        target = args.out or args.reference or "the default location"
        raise CliError(f"cannot write the reference database at {target}: {exc}") from None
    from models.paths import is_source_checkout, shipped_reference_path

    if path == shipped_reference_path() and not is_source_checkout():
        print(f"the installed reference {path} is prebuilt: nothing to build")
    else:
        print(f"built {path} in {time.perf_counter() - start:.1f} s")
    return EXIT_OK


def cmd_reference_info(args: argparse.Namespace) -> int:
    reference = reference_from_args(args)
    if args.quiet:
        return EXIT_OK
    meta = reference.meta
    print(printable(f"file:               {reference.path}", keep_newlines=False))
    print(f"schema version:     {meta.schema_version}")
    print(f"data version:       {meta.data_version}")
    print(f"reference version:  {meta.reference_version}")
    print(f"ICD-10-CM release:  {meta.icd10cm_release}")
    print(f"source hash:        {meta.source_hash}")
    print(f"content digest:     {meta.content_digest} (verified)")
    print(f"additions:          {_additions_line(args)}")
    print("releases:")
    from desktop.official_cli import releases_lines

    for line in releases_lines(args):
        print(f"  {line}")
    print("rows:")
    for table, count in reference.counts().items():
        print(f"  {table:<22}{count:>8}")
    print(f"  {'billable ICD-10-CM':<22}{reference.billable_icd_count():>8}")
    return EXIT_OK


def _additions_line(args: argparse.Namespace) -> str:
    from models.lifecycle import loaded_additions

    found = loaded_additions(_named(args))
    return "; ".join(f"{a.label} ({a.rows} rows)" for a in found) or "none"


def cmd_reference_search(args: argparse.Namespace) -> int:
    reference = reference_from_args(args)
    hits = reference.search(args.text, limit=args.limit, on=args.date)
    if args.json:

        print(json_text([h.model_dump() for h in hits]))
        return EXIT_OK
    if not hits:
        print(printable(f"nothing found for {args.text!r}", keep_newlines=False))
    for hit in hits:
        flag = (
            ""
            if hit.billable is None
            else ("  billable" if hit.billable else "  (header: not billable)")
        )
        invalid = "  (not valid on that date)" if hit.valid is False else ""
        print(
            printable(
                f"{hit.kind:<9} {hit.code:<11} {hit.description}{flag}{invalid}",
                keep_newlines=False,
            )
        )
    return EXIT_OK


def _named(args: argparse.Namespace) -> Path | None:
    from models.paths import named_reference_path

    named: Path | None = args.reference or named_reference_path()
    return named


def cmd_reference_load_cpt(args: argparse.Namespace) -> int:
    from models.additions import AdditionsError
    from models.cpt import load_licensed_cpt
    from models.reference import ReferenceUnavailable, SourceDataError

    try:
        path, count = load_licensed_cpt(_named(args), args.file)
    except (ReferenceUnavailable, SourceDataError, AdditionsError) as exc:
        raise CliError(str(exc)) from None
    print(f"loaded {count} licensed CPT descriptors into {path}")
    say_stored_cases_rechecked(args)
    return EXIT_OK


def say_stored_cases_rechecked(args: argparse.Namespace) -> None:
    """After a reference load: re-check the stored cases and say how many changed."""
    from desktop.cases_cli import recheck_after_reference_load

    message = recheck_after_reference_load(reference_from_args(args))
    if message:
        print(message)


# ----------------------------------------------------------------- parser


def program_version() -> str:
    from desktop.about import program_version

    return program_version()


def _version_action() -> type[argparse.Action]:
    import argparse

    class Version(argparse.Action):
        """Looks the installed version up only when asked: it costs every command ~25 ms."""

        def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                     values: object, option_string: str | None = None) -> None:
            print(f"worksheet {program_version()}")
            parser.exit()

    return Version


def build_parser() -> argparse.ArgumentParser:
    import argparse  # not on the application's start-up path

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:  # messages quote the arguments given
            super().error(printable(message))

    parser = Parser(
        prog="worksheet",
        description="Coding and justification worksheet for cell-therapy procedures. "
        "Without a subcommand it opens the desktop application.",
    )
    parser.add_argument(
        "--reference",
        type=Path,
        default=None,
        metavar="PATH",
        help="reference database to use (default: the built-in one; env WORKSHEET_REFERENCE)",
    )
    parser.add_argument("--version", action=_version_action(), nargs=0,
                        default=argparse.SUPPRESS, help="show program's version number and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_reference_commands(commands)
    from desktop import cases_cli, verify_cli
    from desktop import commands as more_commands

    more_commands.register(commands)
    cases_cli.register(commands)
    verify_cli.register(commands)
    return parser


def _add_reference_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from desktop import official_cli

    ref = commands.add_parser("reference", help="build, inspect and search the reference database")
    sub = ref.add_subparsers(dest="reference_command", metavar="ACTION", required=True)
    p = sub.add_parser("build", help="build the reference database from its sources")
    p.add_argument("--out", type=Path, metavar="PATH", help="where to write it")
    p.set_defaults(func=cmd_reference_build)
    p = sub.add_parser("info", help="versions and row counts")
    p.add_argument("--quiet", action="store_true", help="only make sure it is built and usable")
    p.set_defaults(func=cmd_reference_info)
    p = sub.add_parser(
        "search", help="find codes, modifiers, ICD-10-CM and taxonomy by code or words"
    )
    p.add_argument("text", help="a code, part of a code, or words")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--date",
        type=official_cli.day,
        metavar="YYYY-MM-DD",
        help="ICD-10-CM: search the release in force on this date (default: the newest)",
    )
    p.set_defaults(func=cmd_reference_search)
    p = sub.add_parser(
        "load-cpt", help="load a site's licensed CPT descriptor file (CSV code,descriptor)"
    )
    p.add_argument("file", type=Path, help="CSV file with columns code,descriptor")
    p.set_defaults(func=cmd_reference_load_cpt)
    official_cli.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:  # the application: keep the start-up path free of the subcommands
        from desktop.launch import launch_gui

        return launch_gui(None, None)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        from desktop.launch import launch_gui

        return launch_gui(None, args.reference)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"worksheet: {printable(exc)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt as exc:  # Ctrl+C, or SIGTERM during a batch (desktop.workers)
        return int(getattr(exc, "exit_code", 130))
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        return EXIT_OK
    except reference_failures() as exc:  # evaluated only when an exception got this far
        print(f"worksheet: {printable(_reference_message(exc))}", file=sys.stderr)
        return EXIT_UNUSABLE


def _reference_message(exc: BaseException) -> str:
    from models.reference import ReferenceUnavailable

    if isinstance(exc, ReferenceUnavailable):
        return str(exc)
    return (
        f"the reference database cannot be used ({exc}). Rebuild it with "
        "`worksheet reference build`"
    )


if __name__ == "__main__":
    sys.exit(main())
