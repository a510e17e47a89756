"""Fault injection: each failure of the hardening issue (#10), reproduced as a test.

Test names start with the item they cover (item02_…, item03_…); items 1, 5 and 7 (the reference's
content digest, named references, licensed CPT as a build input) are tested with the reference.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main as worksheet_main
from models.case import Case, parse_case
from models.coder import check
from models.reference import Reference
from tests.desktop.actions import click, settle
from tests.desktop.conftest import EXAMPLES

AETNA = json.loads((EXAMPLES / "islet-aetna-donislecel-precert.json").read_text())


def case_with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data.update(changes)
    return data


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = worksheet_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------- 2. acknowledgement subjects


def mixed_rule_case(reference: Reference) -> tuple[Case, str]:
    """A case whose rule R has two code-specific warnings and one about the payer."""
    case = parse_case(json.dumps(case_with(AETNA, extra_lines=[{"code": "0490T"}])))
    warnings = [f for f in check(case, reference).findings if f.severity == "warning"]
    for rule in {f.rule for f in warnings}:
        coded = [f for f in warnings if f.rule == rule and f.codes]
        if len(coded) >= 2 and any(f.rule == rule and not f.codes for f in warnings):
            return case, rule
    raise AssertionError("no rule with code-specific and payer-level warnings on this case")


def test_item02_every_finding_has_a_unique_stable_subject(reference: Reference) -> None:
    case, _rule = mixed_rule_case(reference)
    findings = check(case, reference).findings
    subjects = [f.subject for f in findings]
    assert all(subjects) and len(set(subjects)) == len(subjects)
    assert subjects == [f.subject for f in check(case, reference).findings]
    twice = case.model_copy(update={"diagnoses": ["E10.649", "E10.649", "L94.0", "L94.0"]})
    repeated = [f.subject for f in check(twice, reference).findings]
    assert len(set(repeated)) == len(repeated)


def test_item02_subject_is_in_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", "--json", str(EXAMPLES / "islet-uhc-verify.json"))
    findings = json.loads(out)["findings"]
    assert code == 1 and all(f["subject"].startswith(f["rule"] + ":") for f in findings)


def test_item02_acknowledgement_answers_exactly_one_finding(reference: Reference) -> None:
    case, rule = mixed_rule_case(reference)
    findings = check(case, reference).findings
    coded = [f for f in findings if f.rule == rule and f.codes]
    payer_level = next(f for f in findings if f.rule == rule and not f.codes)
    acks = [{"rule": rule, "subject": f.subject, "codes": list(f.codes), "reason": f"reason {i}"}
            for i, f in enumerate(coded)]
    acks.append({"rule": rule, "subject": payer_level.subject, "reason": "payer reason"})
    answered = check(case.model_copy(update={"acknowledged": [
        *case.acknowledged, *parse_case(json.dumps({"family": "x", "acknowledged": acks})).acknowledged
    ]}), reference)
    reasons = {f.subject: f.acknowledgement for f in answered.findings if f.rule == rule}
    assert reasons == {**{f.subject: f"reason {i}" for i, f in enumerate(coded)},
                       payer_level.subject: "payer reason"}


def test_item02_old_acknowledgement_without_codes_answers_only_a_finding_without_codes(
    reference: Reference,
) -> None:
    case, rule = mixed_rule_case(reference)
    old = parse_case(json.dumps(case_with(
        json.loads(case.model_dump_json()), acknowledged=[{"rule": rule, "reason": "old file"}]
    )))
    findings = [f for f in check(old, reference).findings if f.rule == rule]
    assert [f.acknowledged for f in findings] == [not f.codes for f in findings]


def test_item02_unmatched_acknowledgement_stays_visible(reference: Reference) -> None:
    case, rule = mixed_rule_case(reference)
    stale = case.model_copy(update={"acknowledged": parse_case(json.dumps({
        "family": "x", "acknowledged": [{"rule": rule, "subject": f"{rule}:99999", "reason": "r"}]
    })).acknowledged})
    ignored = [f for f in check(stale, reference).findings if f.rule == "acknowledgement-ignored"]
    assert ignored and f"{rule}:99999" in ignored[0].message
    assert not any(f.acknowledged for f in check(stale, reference).findings)


def test_item02_gui_reason_never_spreads_to_another_finding(
    qtbot: Any, window: Any, scripted: Any, reference: Reference, tmp_path: Path
) -> None:
    case, rule = mixed_rule_case(reference)
    path = tmp_path / "mixed.json"
    path.write_text(case.to_file_text())
    assert window.open_path(path)
    window.go_to("review")
    review = window.pages["review"]
    worksheet = settle(qtbot, window)
    targets = [f for f in worksheet.findings if f.rule == rule and f.codes][:2]
    targets.append(next(f for f in worksheet.findings if f.rule == rule and not f.codes))
    for number, finding in enumerate(targets):
        scripted.reason = f"reason {number}"
        assert review.select_finding(rule, subject=finding.subject)
        click(qtbot, review.acknowledge)
        settle(qtbot, window)
    shown = {f.subject: f.acknowledgement for f in window.worksheet.findings if f.rule == rule}
    assert [shown[f.subject] for f in targets] == ["reason 0", "reason 1", "reason 2"]
    stored = [(a.subject, a.reason) for a in window.doc.case.acknowledged if a.rule == rule]
    assert stored == [(f.subject, f"reason {n}") for n, f in enumerate(targets)]
    assert review.select_finding(rule, subject=targets[0].subject)
    click(qtbot, review.withdraw)
    after = {f.subject: f.acknowledged for f in settle(qtbot, window).findings if f.rule == rule}
    assert [after[f.subject] for f in targets] == [False, True, True]


# ------------------------------------------------------------- 3. strict case parsing

CIGNA = json.loads((EXAMPLES / "islet-cigna-tpiat.json").read_text())


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (json.dumps(case_with(CIGNA, patient={"age": True})), "patient.age"),
        (json.dumps(case_with(CIGNA, date_of_service=1767225600)), "date_of_service"),
        (json.dumps(case_with(CIGNA, date_of_service="20260210")), "date_of_service"),
        (json.dumps(case_with(CIGNA, schema_version=1.0)), "schema_version"),
        (json.dumps(case_with(CIGNA, schema_version=True)), "schema_version"),
        (json.dumps(case_with(CIGNA, answers={"infusion_number": 1.0})), "answers.infusion_number"),
        (json.dumps(case_with(CIGNA, extra_lines=[{"code": "76937", "units": True}])),
         "extra_lines.0.units"),
        (json.dumps(CIGNA)[:-1] + ', "payer": "medicare"}', "'payer'"),
    ],
    ids=["age-true", "date-number", "date-basic-format", "schema-1.0", "schema-true",
         "answer-float", "units-true", "duplicate-key"],
)
def test_item03_no_silent_coercion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, field: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(text)
    code, out, err = run_cli(capsys, "check", str(path))
    assert (code, out) == (2, "")
    assert field in err and "Traceback" not in err


# ------------------------------------------------------------- 4. render never overwrites its input


def test_item04_render_refuses_its_own_input_also_through_a_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CIGNA))
    link = tmp_path / "link.json"
    link.symlink_to(case)
    for output in (case, link):
        code, _, err = run_cli(capsys, "render", str(case), "-o", str(output))
        assert code == 2 and "one of the case files" in err
        code, _, err = run_cli(capsys, "render", str(case), "-o", str(output), "--force")
        assert code == 2
    assert json.loads(case.read_text()) == CIGNA


def test_item04_render_overwrites_a_non_pdf_only_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("the coder's notes")
    case = EXAMPLES / "islet-cigna-tpiat.json"
    code, _, err = run_cli(capsys, "render", str(case), "-o", str(notes))
    assert code == 2 and "not a PDF" in err and "--force" in err
    assert notes.read_text() == "the coder's notes"
    assert run_cli(capsys, "render", str(case), "-o", str(notes), "--force")[0] == 0
    assert notes.read_bytes().startswith(b"%PDF-")
    assert run_cli(capsys, "render", str(case), "-o", str(notes))[0] == 0  # now a PDF


# ------------------------------------------------------------- 8. links and read-only files


def test_item08_save_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    from models.atomic import atomic_write_text

    real = tmp_path / "cases" / "case.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert not list(tmp_path.glob(".*.part")) and not list(real.parent.glob(".*.part"))


def test_item08_gui_save_through_a_link(
    qtbot: Any, window: Any, scripted: Any, tmp_path: Path
) -> None:
    real = tmp_path / "real.json"
    real.write_text(json.dumps(CIGNA))
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert window.open_path(link)
    window.doc.set_patient(account="ACCT-LINK")
    assert window.save() and not scripted.errors
    assert link.is_symlink() and json.loads(real.read_text())["patient"]["account"] == "ACCT-LINK"


def test_item08_read_only_files_are_refused_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from models.atomic import OutputError, atomic_write_text

    pdf = tmp_path / "kept.pdf"
    case = EXAMPLES / "islet-cigna-tpiat.json"
    assert run_cli(capsys, "render", str(case), "-o", str(pdf))[0] == 0
    before = pdf.read_bytes()
    pdf.chmod(0o444)
    code, _, err = run_cli(capsys, "render", str(case), "-o", str(pdf), "--date", "2020-01-01")
    assert code == 2 and "read-only" in err and pdf.read_bytes() == before
    with pytest.raises(OutputError, match="read-only"):
        atomic_write_text(pdf, "x")
    assert pdf.read_bytes() == before and not list(tmp_path.glob(".*.part"))


# ------------------------------------------------------------- 9. only small regular files


def test_item09_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "desktop", "check", str(fifo)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["dev-zero", "sparse-6GB", "six-MB"])
def test_item09_devices_and_huge_files_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "case.json"
    if kind == "dev-zero":
        path = Path("/dev/zero")
    elif kind == "sparse-6GB":
        with path.open("wb") as handle:
            handle.truncate(6 * 1024**3)
    else:
        path.write_text(json.dumps(case_with(CIGNA, notes="x" * 6_000_000)))
    code, out, err = run_cli(capsys, "check", str(path))
    assert (code, out) == (2, "")
    assert ("not a regular file" if kind == "dev-zero" else "too large") in err


# ------------------------------------------------------------- 10. bad input ends with exit 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"family": "islet-transplant", "patient": {"age": ' + "9" * 5000 + "}}", "digits"),
        ('{"family": "islet-transplant", "patient": {"age": NaN}}', "NaN"),
    ],
    ids=["deep-nesting", "5000-digit-age", "nan"],
)
def test_item10_unusable_json_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(text)
    code, out, err = run_cli(capsys, "check", str(path))
    assert (code, out) == (2, "") and expected in err and "Traceback" not in err


def damaged_reference(reference: Reference, tmp_path: Path, damage: str) -> Path:
    import shutil
    import sqlite3

    copy_path = tmp_path / f"{damage}.sqlite"
    shutil.copyfile(reference.path, copy_path)
    if damage == "dropped-table":
        with sqlite3.connect(copy_path) as conn:
            conn.execute("DROP TABLE edits")
    elif damage == "only-meta":
        copy_path.unlink()
        with sqlite3.connect(copy_path) as conn:
            conn.execute(f"ATTACH DATABASE '{reference.path}' AS shipped")
            conn.execute("CREATE TABLE meta AS SELECT * FROM shipped.meta")
            version = conn.execute("PRAGMA shipped.user_version").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {version}")
    else:  # garbage over the first page of every table but the version record
        with sqlite3.connect(copy_path) as conn:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            pages = [row[0] for row in conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name != 'meta' "
                "AND rootpage > 1")]
        with copy_path.open("r+b") as handle:
            for page in pages:
                handle.seek((page - 1) * page_size)
                handle.write(b"\xa5" * page_size)
    return copy_path


@pytest.mark.parametrize("damage", ["dropped-table", "only-meta", "mid-file-corruption"])
@pytest.mark.parametrize("command", ["check", "render"])
def test_item10_damaged_reference_exits_2_with_one_message(
    capsys: pytest.CaptureFixture[str], reference: Reference, tmp_path: Path, damage: str,
    command: str,
) -> None:
    damaged = damaged_reference(reference, tmp_path, damage)
    case = str(EXAMPLES / "islet-aetna-donislecel-precert.json")
    args = [case] if command == "check" else [case, "-o", str(tmp_path / "out.pdf")]
    code, _out, err = run_cli(capsys, "--reference", str(damaged), command, *args)
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "reference" in err
    assert not (tmp_path / "out.pdf").exists()


def test_item10_full_disk_on_reference_build_exits_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    limit_writes = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
        "from desktop.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    out = tmp_path / "built" / "ref.sqlite"
    out.parent.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", limit_writes, "reference", "build", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and str(out) in result.stderr
    assert not list(out.parent.iterdir()), "no file half written"


# ------------------------------------------------------------- 12. batch render robustness


def worksheet_process(*args: str) -> Any:
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "desktop", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def batch_folder(tmp_path: Path, good: int) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    text = (EXAMPLES / "islet-cigna-tpiat.json").read_text()
    for number in range(good):
        (folder / f"good-{number:03}.json").write_text(text)
    return folder


@pytest.mark.parametrize("good", [5, 30], ids=["in-process", "worker-processes"])
def test_item12_bad_files_do_not_stop_a_batch(tmp_path: Path, good: int) -> None:
    folder = batch_folder(tmp_path, good)
    (folder / "deep.json").write_text("[" * 100_000)
    (folder / "age-true.json").write_text(json.dumps(case_with(CIGNA, patient={"age": True})))
    out = tmp_path / "out"
    stdout, stderr = worksheet_process("render", str(folder), "-o", str(out)).communicate(
        timeout=300)
    assert sorted(p.stem for p in out.glob("*.pdf")) == [f"good-{n:03}" for n in range(good)]
    assert f"rendered {good}, blocked 0, failed 2" in stdout
    assert "deep.json: nested too deeply" in stderr and "age-true.json" in stderr
    assert "Traceback" not in stderr


def process_children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                children.append(int(entry.name))
    return children


def process_alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_item12_stopping_a_batch_leaves_no_worker_running(tmp_path: Path, signal_name: str) -> None:
    import os
    import signal
    import time

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: batches render in one process")
    folder = batch_folder(tmp_path, 300)
    process = worksheet_process("render", str(folder), "-o", str(tmp_path / "out"))
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = process_children(process.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the batch started its worker processes"
    time.sleep(0.5)
    os.kill(process.pid, getattr(signal, signal_name))
    _stdout, stderr = process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while any(process_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not [w for w in workers if process_alive(w)], "a worker outlived the command"
    assert "Traceback" not in stderr
    if signal_name != "SIGKILL":
        assert process.returncode == 128 + getattr(signal, signal_name)
        assert not list((tmp_path / "out").glob(".*.part"))


# ------------------------------------------------------------- 15. terminal escape injection

FAKE_STATUS = "\x1b[2J\x1b[H\x1b[32mstatus: READY\rstatus: READY\u202e"


def test_item15_check_output_shows_control_characters_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    thp = json.loads((EXAMPLES / "islet-thp-laparoscopic-imaging-blocked.json").read_text())
    acks = [{**a, "reason": f"ok {FAKE_STATUS}\nstatus: READY"} for a in thp["acknowledged"]]
    path = tmp_path / f"case{chr(27)}[2J.json"
    path.write_text(json.dumps(case_with(thp, acknowledged=acks, notes=FAKE_STATUS)))
    code, out, _ = run_cli(capsys, "check", str(path))
    assert code == 1 and "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "\\x0d" in out
    assert [line for line in out.splitlines() if line.startswith("status:")] == ["status: BLOCKED"]
    code, out, _ = run_cli(capsys, "check", "--json", str(path))
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out)["findings"]  # still JSON, the same values
    bad = tmp_path / f"bad{chr(27)}[31m.json"
    bad.write_text("{")
    code, out, err = run_cli(capsys, "check", str(bad))
    assert code == 2 and "\x1b" not in err and "\\x1b[31m" in err
    with pytest.raises(SystemExit) as exit_:
        worksheet_main(["check", "one.json", "\x1b[2Jtwo"])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2 and "\x1b" not in err and "\\x1b[2Jtwo" in err


# ------------------------------------------------------------- 11. long lists


def test_item11_lists_are_bounded_to_what_a_claim_holds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inpatient = case_with(CIGNA, claim_type="institutional", diagnoses=["E10.649"] * 25,
                          extra_lines=[{"code": "76937"}] * 50)
    assert parse_case(json.dumps(inpatient)).diagnoses == ["E10.649"] * 25
    for field, value, words in [
        ("diagnoses", ["E10.649"] * 51, "at most 50 diagnoses"),
        ("extra_lines", [{"code": "76937"}] * 51, "at most 50 service lines"),
        ("modifiers", ["22", "59", "XS", "XU", "LT"], "at most 4 modifiers"),
        ("diagnoses", ["E10.649"] * 16_000, "at most 50 diagnoses"),
    ]:
        path = tmp_path / "long.json"
        path.write_text(json.dumps(case_with(CIGNA, **{field: value})))
        code, out, err = run_cli(capsys, "check", str(path))
        assert (code, out) == (2, "") and f"{field}: too many entries" in err and words in err


def calls_during_check(case: Case, reference: Reference) -> int:
    import sys

    calls = 0

    def count(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        check(case, reference)
    finally:
        sys.setprofile(None)
    return calls


def test_item11_every_rule_is_linear_in_the_claims_size(reference: Reference) -> None:
    """Work (function calls, not time) for a claim four times as long: about four times as much.
    Built past the schema's bounds on purpose, to see the growth."""
    dx = ["E10.649", "E16.1", "E13.649", "K86.1", "Z79.4", "Z00.6", "E10.64", "M34.1", "L94.0"]
    lines = ["76937", "36481", "75885", "49320", "0584T", "96372", "J3590"]
    base = parse_case(json.dumps(case_with(AETNA, modifiers=["22", "59"])))

    def sized(n: int) -> Case:
        from models.case import Acknowledgement, ExtraLine

        return base.model_copy(update={
            "diagnoses": [dx[i % len(dx)] for i in range(n)],
            "extra_lines": [ExtraLine(code=lines[i % len(lines)], modifiers=["59"])
                            for i in range(n)],
            "acknowledged": [Acknowledgement(rule="verify-reference", reason="r")] * n,
        })

    check(sized(8), reference)  # warm the reference's caches
    small, large = calls_during_check(sized(100), reference), calls_during_check(
        sized(400), reference)
    assert large < 5 * small, f"{small} calls for 100 entries, {large} for 400: not linear"


# ------------------------------------------------------------- 6. one autosave per window


def edited_window(qtbot: Any, reference: Reference, account: str) -> Any:
    from desktop.window import MainWindow
    from tests.desktop.actions import type_text

    window = MainWindow(reference)
    window.show()
    type_text(qtbot, window.pages["case"].account, account)
    assert window.autosave_now() is not None
    return window


def test_item06_live_windows_never_see_each_others_work(
    qtbot: Any, reference: Reference, scripted: Any
) -> None:
    import shiboken6

    from desktop import autosave

    first = edited_window(qtbot, reference, "ACC-ONE")
    second = edited_window(qtbot, reference, "ACC-TWO")
    third = edited_window(qtbot, reference, "ACC-THREE")
    qtbot.addWidget(third)
    assert not third.offer_restore() and not scripted.asked("ask_yes_no")
    assert len(list(autosave.autosave_dir().glob("*.json"))) == 3
    shiboken6.delete(first)  # both crash
    shiboken6.delete(second)
    scripted.yes = False
    assert not third.offer_restore()
    offers = scripted.asked("ask_yes_no")
    assert len(offers) == 2 and all("untitled case (autosaved 20" in text for text in offers)
    assert "1 more autosaved case" in offers[0]
    assert [a.case.patient.account for a in autosave.orphans()] == []
    assert third.doc.case.patient.account == "ACC-THREE", "its own work was never offered"
    assert third.autosave_now() is not None and autosave.exists()
    third.doc.replace(third.doc.case, None)
    third.close()


def test_item06_each_crashed_window_can_be_recovered(
    qtbot: Any, reference: Reference, scripted: Any
) -> None:
    import shiboken6

    from desktop.window import MainWindow

    for account in ("ACC-A", "ACC-B"):
        shiboken6.delete(edited_window(qtbot, reference, account))
    restored = []
    for _ in range(2):
        window = MainWindow(reference)
        qtbot.addWidget(window)
        assert window.offer_restore()
        restored.append(window.doc.case.patient.account)
    assert sorted(restored) == ["ACC-A", "ACC-B"]


def test_item06_another_running_process_keeps_its_autosave(
    reference: Reference, scripted: Any, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from desktop import autosave, processes

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        slot = autosave.Slot()
        slot.write(parse_case(json.dumps(CIGNA)), None)
        lock = slot.path.with_suffix(".lock")
        lock.write_text(f"{other.pid} {processes.start_time(other.pid)}\n")
        autosave.release_slot(slot.id)
        assert autosave.orphans() == []
        lock.write_text(f"{other.pid} 1\n")  # the pid was reused by another program
        assert len(autosave.orphans()) == 1
        lock.write_text(f"{other.pid} {processes.start_time(other.pid)}\n")
    finally:
        other.kill()
        other.wait()
    assert [r.path for r in autosave.orphans()] == [slot.path]


# ------------------------------------------------------------- 13. privacy of the user's files

MARKERS = ["MARKNOTE1", "MARKACCT2", "MARKANSWER3", "MARKREASON4", "MARKPATH5", "MARKNCT6"]


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def marker_case(tmp_path: Path) -> Path:
    folder = tmp_path / f"{MARKERS[4]}-cases"
    folder.mkdir()
    path = folder / f"{MARKERS[4]}.json"
    path.write_text(json.dumps(case_with(
        AETNA, notes=f"{MARKERS[0]} patient history\nsecond line {MARKERS[0]}",
        patient={"age": 40, "account": MARKERS[1]},
        answers={**AETNA["answers"], "nct_number": MARKERS[5]},
        acknowledged=[{"rule": "prior-authorization", "reason": MARKERS[3]}],
    )))
    return path


def test_item13_error_log_holds_no_case_text(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging
    import sys

    from desktop import errors

    path = marker_case(tmp_path)
    assert window.open_path(path)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown: list[str] = []
    hook = errors.install(lambda _s, details: shown.append(details), window.patient_values)
    case = window.doc.case
    for message in (f"{case.notes} in {path}", repr(case.model_dump()), f"{case.diagnoses}",
                    f"input_value={case.acknowledged[0].reason!r}", str(path.parent)):
        try:
            raise RuntimeError(message)
        except RuntimeError as exc:
            hook(type(exc), exc, exc.__traceback__)
    for handler in errors.logger.handlers:
        handler.close()
    errors.logger.handlers.clear()
    logging.getLogger("worksheet.desktop").handlers.clear()
    log = errors.log_path().read_text(encoding="utf-8")
    assert log.count("RuntimeError") == 5 and len(shown) == 5
    assert not [m for m in [*MARKERS, *case.diagnoses] if m in log]
    assert mode_of(errors.log_path()) == 0o600 and mode_of(errors.log_path().parent) == 0o700


def test_item13_autosave_is_private(qtbot: Any, window: Any, tmp_path: Path) -> None:
    from models.paths import user_data_dir

    assert window.open_path(marker_case(tmp_path))
    window.doc.set_patient(account="MARK-DIRTY")
    saved = window.autosave_now()
    assert saved is not None and mode_of(saved) == 0o600
    assert mode_of(saved.with_suffix(".lock")) == 0o600
    assert mode_of(saved.parent) == 0o700 and mode_of(user_data_dir()) == 0o700


def test_item13_viewer_copies_are_private_and_removed(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    from PySide6.QtGui import QDesktopServices

    from desktop import viewer_copies

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    assert window.open_path(marker_case(tmp_path))
    settle(qtbot, window)
    copy_path = window.pages["review"].open_in_viewer()
    assert copy_path is not None and mode_of(copy_path) == 0o600
    assert mode_of(copy_path.parent) == 0o700 and mode_of(viewer_copies.root()) == 0o700
    stale = viewer_copies.root() / "999999999-1"
    stale.mkdir()
    (stale / "old.pdf").write_bytes(b"%PDF-")
    viewer_copies.remove_stale()
    assert not stale.exists() and copy_path.exists(), "only copies of ended programs go"
    viewer_copies.remove_own()
    assert not copy_path.exists()
    program = ("from desktop import viewer_copies; "
               "print(viewer_copies.write('w.pdf', b'%PDF-'))")
    written = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                             timeout=60, check=True).stdout.strip()
    assert written and not Path(written).exists(), "removed when the program exits"


# ------------------------------------------------------------- 14. rich text injection in the GUI

MARKUP = '<h1>STATUS: READY</h1><img src="/tmp/x.png">'


def test_item14_case_text_is_never_rendered_as_markup(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QTreeWidget

    path = tmp_path / "markup.json"
    aetna = case_with(AETNA, notes=MARKUP, answers={**AETNA["answers"], "approach": MARKUP},
                      acknowledged=[{"rule": "prior-authorization", "reason": MARKUP}])
    path.write_text(json.dumps(aetna))
    assert window.open_path(path)
    window.go_to("review")
    worksheet = settle(qtbot, window)
    review = window.pages["review"]
    for finding in worksheet.findings:
        review.select_finding(finding.rule, subject=finding.subject)
        if MARKUP in review.finding_detail.text():
            break
    else:
        raise AssertionError("no finding quotes the case's text")
    showing = [label for label in window.findChildren(QLabel) if "<h1>" in label.text()]
    assert review.finding_detail in showing
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in showing)
    for tree in window.findChildren(QTreeWidget):
        items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while items:
            item = items.pop()
            items += [item.child(i) for i in range(item.childCount())]
            for column in range(tree.columnCount()):
                assert "<h1>" not in item.toolTip(column), item.toolTip(column)


def test_item14_dialogs_show_plain_text(qtbot: Any) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    from desktop import dialogs

    box = dialogs._box(None, QMessageBox.Icon.Critical, "t", MARKUP, QMessageBox.StandardButton.Ok)
    assert box.textFormat() == Qt.TextFormat.PlainText
    seen: list[bool] = []

    def inspect_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, inspect_and_cancel)
            return
        labels = [label for label in dialog.findChildren(QLabel) if MARKUP in label.text()]
        seen.append(bool(labels) and all(
            label.textFormat() == Qt.TextFormat.PlainText for label in labels))
        dialog.reject()

    QTimer.singleShot(20, inspect_and_cancel)
    assert dialogs.ask_reason(None, "Acknowledge warning", MARKUP) is None
    assert seen == [True]


# ------------------------------------------------------------- 16. File ▸ Open Recent


def show_recent_menu(qtbot: Any, window: Any) -> list[Any]:
    """Open File, then Open Recent, the way a click does; return the recent entries."""
    file_menu = window.recent_menu.menuAction().associatedObjects()[0]
    file_menu.popup(window.mapToGlobal(window.rect().topLeft()))
    qtbot.waitUntil(file_menu.isVisible, timeout=3000)
    file_menu.setActiveAction(window.recent_menu.menuAction())
    window.recent_menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(window.recent_menu.isVisible, timeout=3000)
    entries = [a for a in window.recent_menu.actions() if a.text()[:1] == "&" and a.text()[1:2].isdigit()]
    window.recent_menu.hide()
    file_menu.hide()
    return entries


def test_item16_open_recent_after_save_and_restore_dialogs(
    qtbot: Any, reference: Reference, scripted: Any, tmp_path: Path
) -> None:
    import gc

    import shiboken6

    from desktop.dialogs import Choice
    from desktop.window import MainWindow

    shiboken6.delete(edited_window(qtbot, reference, "ACC-CRASHED"))  # something to restore
    window = MainWindow(reference)
    qtbot.addWidget(window)
    window.show()
    window.start(None)  # the restore dialog
    assert scripted.asked("ask_yes_no") and window.doc.case.patient.account == "ACC-CRASHED"
    cases = []
    for number in range(3):  # Save As dialogs fill the recent list
        scripted.save_case_path = tmp_path / f"case-{number}.json"
        window.doc.set_patient(account=f"ACC-{number}")
        assert window.save_as()
        cases.append(scripted.save_case_path)
    scripted.save_changes = Choice.DISCARD
    for cycle in range(6):
        window.doc.set_patient(account=f"DIRTY-{cycle}")  # opening asks about unsaved changes
        entries = show_recent_menu(qtbot, window)
        assert sorted(e.text()[3:] for e in entries) == sorted(p.name for p in cases)
        asked = len(scripted.asked("ask_save_changes"))
        entries[-1].trigger()
        assert len(scripted.asked("ask_save_changes")) == asked, "no dialog inside the menu"
        qtbot.waitUntil(lambda a=asked: len(scripted.asked("ask_save_changes")) == a + 1)
        qtbot.waitUntil(lambda: window.doc.path is not None and not window.doc.dirty)
        gc.collect()
        assert shiboken6.isValid(window.recent_menu)
    assert show_recent_menu(qtbot, window) and not scripted.errors
