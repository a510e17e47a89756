"""`worksheet cases …`: import, list, show, export, recheck; --store on every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.cli import main
from models.paths import examples_dir
from models.store import CaseFilter, open_store
from models.store.summary import CheckSummary, LineSummary

EXAMPLES = sorted(examples_dir().glob("*.json"))
BLOCKED = examples_dir() / "islet-thp-laparoscopic-imaging-blocked.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=["sqlite", "postgresql"])
def store_arg(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.sqlite")
    cluster = request.getfixturevalue("postgres")
    return str(cluster.fresh_url(f"cli{abs(hash(request.node.name)) % 10**8}"))


def test_import_prints_ids_and_the_same_file_twice_is_two_cases(
        capsys: pytest.CaptureFixture[str], store_arg: str) -> None:
    code, out, _ = run(capsys, "cases", "--store", store_arg, "import", str(BLOCKED), str(BLOCKED))
    assert code == 0
    ids = [int(x) for x in out.split()]
    assert len(ids) == 2 and ids[0] != ids[1]
    code, out, _ = run(capsys, "cases", "list", "--store", store_arg, "--json")
    listed = json.loads(out)
    assert sorted(c["id"] for c in listed) == sorted(ids)
    for item in listed:
        assert {"id", "account", "date_of_service", "family", "payer", "status", "version",
                "updated_at", "updated_by"} <= set(item)
        assert (item["status"], item["version"], item["account"]) == ("blocked", 1, "ACCT-1001")


def test_import_a_folder_then_filter_by_status_payer_and_text(
        capsys: pytest.CaptureFixture[str], store_arg: str) -> None:
    code, out, _ = run(capsys, "cases", "--store", store_arg, "import", str(examples_dir()))
    assert code == 0 and len(out.split()) == len(EXAMPLES)
    statuses = {p.stem: json.loads(p.read_text()) for p in EXAMPLES}
    _, out, _ = run(capsys, "cases", "--store", store_arg, "list", "--payer", "thp", "--json")
    assert {c["account"] for c in json.loads(out)} == {
        c["patient"]["account"] for c in statuses.values() if c["payer"] == "thp"}
    _, out, _ = run(capsys, "cases", "--store", store_arg, "list", "--status", "blocked",
                    "--json")
    blocked = json.loads(out)
    assert blocked and all(c["status"] == "blocked" for c in blocked)
    _, out, _ = run(capsys, "cases", "--store", store_arg, "list", "--status", "BLOCKED",
                    "--payer", "THP", "--json")
    assert json.loads(out) == [c for c in blocked if c["payer"] == "thp"]
    _, out, _ = run(capsys, "cases", "--store", store_arg, "list", "--text", "acct-1001",
                    "--json")
    assert [c["account"] for c in json.loads(out)] == ["ACCT-1001"]
    code, out, _ = run(capsys, "cases", "--store", store_arg, "list")
    assert code == 0 and "ACCT-1001" in out and "BLOCKED" in out


def test_show_and_export_give_back_the_case_as_imported(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text(BLOCKED.read_text().replace("\n", "\n   "))  # its own spacing
    _, out, _ = run(capsys, "cases", "import", str(odd))
    case_id = out.strip()
    code, out, _ = run(capsys, "cases", "show", case_id, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["case"] == json.loads(BLOCKED.read_text())
    assert shown["history"][0]["version"] == 1 and shown["history"][0]["status"] == "blocked"
    assert shown["check"]["status"] == "blocked"
    code, out, _ = run(capsys, "cases", "show", case_id)
    assert "versions:" in out and "BLOCKED" in out
    target = tmp_path / "out.json"
    code, _, _ = run(capsys, "cases", "export", case_id, "-o", str(target))
    assert code == 0 and target.read_text() == odd.read_text()


def test_a_bad_file_imports_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"family": ')
    code, _, err = run(capsys, "cases", "import", str(BLOCKED), str(bad))
    assert code == 2 and "bad.json" in err and "nothing imported" in err
    _, out, _ = run(capsys, "cases", "list", "--json")
    assert json.loads(out) == []


@pytest.mark.parametrize("args, message", [
    (["cases", "--store", "postgresql://nobody@/x?host=/nonexistent", "list"], "cannot connect"),
    (["cases", "list", "--store", "ftp://x/y"], "not a case store"),
    (["cases", "show", "41"], "no case 41"),
    (["cases", "export", "41", "-o", "x.json"], "no case 41"),
])
def test_unusable_store_or_id_is_exit_2_with_a_message(
        capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err


def _pretend_last_check(store_arg: str | None, case_id: int, **changes: Any) -> None:
    with open_store(store_arg) as store:
        stored = store.get(case_id)
        assert stored.summary is not None
        old = stored.summary.model_copy(update=changes)
        store.record_checks([(case_id, 1, old, "")], "earlier")


def test_recheck_lists_what_changed_and_exits_1_then_0(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "cases", "import", str(BLOCKED), str(EXAMPLES[0]))
    changed_id, same_id = (int(x) for x in out.split())
    _pretend_last_check(None, changed_id, status="ready", findings=(),
                        lines=(LineSummary(code="0585T", modifiers=("22",)),
                               LineSummary(code="99999")))
    code, out, _ = run(capsys, "cases", "recheck")
    assert code == 1
    assert "2 cases" in out and "1 changed" in out
    line = next(x for x in out.splitlines() if f"case {changed_id} " in x)
    assert "READY → BLOCKED: new error included-service on" in line
    assert "line 99999 removed" in line and "line 76937 added" in line
    assert f"case {same_id} " not in out
    code, out, _ = run(capsys, "cases", "recheck", "--json")
    assert code == 0 and json.loads(out)["changed"] == []
    _, out, _ = run(capsys, "cases", "list", "--changed", "--json")
    assert [c["id"] for c in json.loads(out)] == [changed_id]
    _, out, _ = run(capsys, "cases", "list", "--changed")
    header, case, change = out.splitlines()
    assert header.split() == ["id", "account", "service", "family", "payer", "status", "v",
                              "last", "change"]
    assert case.split()[:6] == [str(changed_id), "ACCT-1001", "2026-02-10", "islet-transplant",
                                "thp", "BLOCKED"]
    assert change.startswith("        re-check: READY → BLOCKED")
    _, out, _ = run(capsys, "cases", "list")  # imported together: the newest case first
    assert [int(line.split()[0]) for line in out.splitlines()[1:]] == [same_id, changed_id]
    _, out, _ = run(capsys, "cases", "list", "--text", "no-such-account")
    assert out == "no cases\n"


def test_recheck_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "cases", "import", str(BLOCKED))
    case_id = int(out)
    _pretend_last_check(None, case_id, status="review")
    code, out, _ = run(capsys, "cases", "recheck", "--json")
    report = json.loads(out)
    assert code == 1 and report["checked"] == 1
    [changed] = report["changed"]
    assert (changed["id"], changed["status_before"], changed["status"]) == (
        case_id, "review", "blocked")
    assert changed["summary"].startswith("REVIEW → BLOCKED")
    with open_store() as store:
        assert [c.checked_by for c in store.history(case_id).checks] == ["earlier", "re-check"]


def test_recheck_of_a_large_store_runs_in_parallel(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.store import checking

    monkeypatch.setattr(checking, "PARALLEL_THRESHOLD", 4)
    monkeypatch.setattr(checking, "CHUNK", 2)
    folder = tmp_path / "many"
    folder.mkdir()
    for n, path in enumerate(EXAMPLES * 2):
        shutil.copy(path, folder / f"{n:02d}-{path.name}")
    code, out, _ = run(capsys, "cases", "import", str(folder))
    assert code == 0 and len(out.split()) == 2 * len(EXAMPLES)
    with open_store() as store:
        first = store.get(int(out.split()[0])).summary
    assert isinstance(first, CheckSummary)
    _pretend_last_check(None, int(out.split()[0]), status="ready" if first.status != "ready"
                        else "blocked")
    code, out, _ = run(capsys, "cases", "recheck", "--json")
    assert code == 1 and json.loads(out)["checked"] == 2 * len(EXAMPLES)
    assert len(json.loads(out)["changed"]) == 1


def test_every_cases_action_and_verify_are_in_the_readme() -> None:
    import argparse

    from desktop.cli import build_parser

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    commands = next(a for a in build_parser()._actions
                    if isinstance(a, argparse._SubParsersAction))
    cases = commands.choices["cases"]
    actions = next(a for a in cases._actions if isinstance(a, argparse._SubParsersAction))
    for name in actions.choices:
        assert f"worksheet cases [--store URL] {name}" in readme, name
    assert "worksheet verify WORKSHEET.pdf" in readme


def test_a_reference_load_ends_by_rechecking_the_stored_cases(
        capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cases_cli import recheck_after_reference_load
    from models.reference import open_reference

    reference = open_reference()
    assert recheck_after_reference_load(reference) == ""  # no store yet: none made
    _, out, _ = run(capsys, "cases", "import", str(BLOCKED), str(EXAMPLES[0]))
    changed_id = int(out.split()[0])
    _pretend_last_check(None, changed_id, status="ready", findings=())
    message = recheck_after_reference_load(reference)
    assert message.startswith("re-checked 2 stored cases against reference")
    assert ": 1 changed" in message


def test_reference_load_ends_with_the_stored_cases_rechecked(
        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.models.official.conftest import PTP_PRACTITIONER

    run(capsys, "cases", "import", str(BLOCKED))
    code, out, _ = run(capsys, "reference", "load", "ncci-ptp", str(PTP_PRACTITIONER))
    assert code == 0 and "re-checked 1 stored cases against reference" in out
    with open_store() as store:
        [case] = store.list_cases(CaseFilter())
        assert store.history(case.id).checks  # the new result is stored


def test_import_reads_case_files_as_check_does_fifo_and_huge_refused(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(6 * 1024**3)
    store = str(tmp_path / "cases.sqlite")
    for path, message in ((fifo, "not a regular file"), (huge, "too large")):
        code, out, err = run(capsys, "cases", "--store", store, "import", str(path))
        assert (code, out) == (2, "") and message in err


flat_values = st.one_of(st.text(), st.integers(), st.none(), st.booleans(),
                        st.floats(allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.text(), flat_values)))
def test_list_json_is_the_text_json_dumps_gives(objects: list[dict[str, Any]]) -> None:
    from desktop.cases_cli import json_array

    assert json_array(objects) == json.dumps(objects, indent=2, ensure_ascii=False)
