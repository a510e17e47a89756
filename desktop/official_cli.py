"""`worksheet reference load KIND FILE... [--effective YYYY-MM-DD] [--set SET]` and
`worksheet reference sources [--json]`: thin wrappers over :mod:`models.official.load`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop.cli import EXIT_OK, CliError, _named, reference_from_args, say_stored_cases_rechecked

KINDS = ("cpt", "hcpcs", "icd10cm", "ncci-ptp", "ncci-mue", "nucc")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "load",
        help="load official files: cpt, hcpcs, icd10cm, ncci-ptp, ncci-mue, nucc",
        description="Validate the files and add them to the reference in use (rebuilt "
        "atomically; the previous one serves until then). Loading a file again changes nothing.",
    )
    p.add_argument("kind", choices=KINDS, help="the kind of file")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="the files CMS/NUCC ship")
    p.add_argument(
        "--effective",
        type=day,
        metavar="YYYY-MM-DD",
        help="the date the release governs from (default: from the file's name or content)",
    )
    p.add_argument(
        "--set",
        dest="edit_set",
        choices=("practitioner", "outpatient"),
        help="NCCI edit set (default: from the CMS file name ccipra…/ccioph… or the MUE header)",
    )
    p.set_defaults(func=cmd_reference_load)
    p = sub.add_parser("sources", help="the official files loaded into the reference in use")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_reference_sources)


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def cmd_reference_load(args: argparse.Namespace) -> int:
    from models.official.load import LoadError, load

    try:
        report = load(_named(args), args.kind, args.files, args.effective, args.edit_set)
    except LoadError as exc:
        raise CliError(str(exc)) from None
    for line in report.lines:
        print(line)
    if report.reference is not None:
        print(f"reference in use: {report.reference}")
        say_stored_cases_rechecked(args)
    return EXIT_OK


def cmd_reference_sources(args: argparse.Namespace) -> int:
    from models.official.load import sources

    found = sources(reference_from_args(args))
    if args.json:
        import json

        print(json.dumps([s.as_json() for s in found], indent=2))
        return EXIT_OK
    if not found:
        print("no official files loaded: the shipped reference's own lists are in use")
    for source in found:
        what = " ".join(p for p in (source.kind, source.release, source.edit_set or "") if p)
        print(f"{what}  ({source.status})")
        print(f"  file:      {source.file}")
        print(f"  governs:   {source.window}")
        print(f"  rows:      {source.rows}")
        print(f"  SHA-256:   {source.sha256}")
    return EXIT_OK


def releases_lines(args: argparse.Namespace) -> list[str]:
    """For `reference info`: the code-set releases in the reference and their windows."""
    from models.official.load import sources

    reference = reference_from_args(args)
    lines = [
        f"{r.label}{' (shipped)' if r.shipped else ''}: from {r.effective_from or 'always'}"
        for r in reference.icd_releases
    ]
    lines += [
        f"{s.kind} {s.release} {s.edit_set or ''}".rstrip() + f": {s.window} ({s.status})"
        for s in sources(reference)
        if s.kind != "icd10cm"
    ]
    return lines
