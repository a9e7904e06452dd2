"""The application layer: both front ends call the same actions, and every write goes through one guard."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from core.model import Progress, Status
from tests.fault_helpers import fingerprint

OFFICE = "悦城镇"


def run_main(capsys, *args: str) -> tuple[int, str]:
    from main import main

    code = main(list(args))
    return code, capsys.readouterr().err


@pytest.fixture
def noted(store) -> Path:
    """The 2019 plan with one real note for 悦城镇 (so the report is not empty)."""
    entry = Progress(12, Status.DONE, 100, achievements="办理市长留言12件。")
    store.save_progress(store.current_plan_id(), OFFICE, entry)
    return store.path


def archive_rows(store) -> list[tuple]:
    rows = store.archived_reports(store.current_plan_id(), OFFICE)
    return [(r.report_date, r.sha256, r.format, r.options, r.round_label) for r in rows]


@pytest.mark.parametrize("cli_first", [True, False])
def test_cli_and_window_store_the_same_archive_row(qtbot, session, store, noted, tmp_path, monkeypatch, capsys,
                                                   cli_first):
    from PySide6.QtWidgets import QFileDialog

    from gui.report.dialog import ReportDialog

    def by_cli() -> None:
        code, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(tmp_path / "cli.pdf"),
                             "--date", "2019-12-04", "--fonts", "bundled")
        assert code == 0, err

    def by_window() -> None:
        dialog = ReportDialog(session, session.current_plan_id(), session.office(OFFICE))
        qtbot.addWidget(dialog)
        dialog.settings.font_combo.setCurrentIndex(dialog.settings.font_combo.findData("bundled"))
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(tmp_path / "window.pdf"), "")))
        assert dialog.save_pdf() == str(tmp_path / "window.pdf")
        dialog.close()

    for step in ((by_cli, by_window) if cli_first else (by_window, by_cli)):
        step()
    cli_bytes, window_bytes = (tmp_path / "cli.pdf").read_bytes(), (tmp_path / "window.pdf").read_bytes()
    assert cli_bytes == window_bytes
    rows = archive_rows(store)
    saved_to = rows[0][3].pop("saved_to")  # where the first of the two saved it (a save, not a submission)
    assert Path(saved_to).name == ("cli.pdf" if cli_first else "window.pdf")
    assert rows == [("2019-12-04", hashlib.sha256(cli_bytes).hexdigest(), "pdf",
                     {"font_choice": "bundled", "format": "pdf", "include_ledger": True, "submitted": False},
                     "2019年全年")]


LIVE = ("taizhang.sqlite3", "taizhang.sqlite3-wal", "taizhang.sqlite3-shm")


@pytest.mark.parametrize("command", ["report", "export", "backup"])
@pytest.mark.parametrize("target", [*LIVE, "backups/newest.sqlite3"])
def test_no_write_path_reaches_the_live_database_or_the_backups(store, noted, capsys, command, target):
    data_dir = store.path.parent
    path = data_dir / target
    before = fingerprint(store.path)
    existed = path.exists()
    args = {"report": ["report", "--office", OFFICE, "--out", str(path), "--fonts", "bundled"],
            "export": ["progress", "export", "--office", OFFICE, "--out", str(path)],
            "backup": ["backup", "--out", str(path)]}[command]
    code, err = run_main(capsys, *args)
    assert code == 2, err
    assert err.startswith("错误：") and "Traceback" not in err
    assert fingerprint(store.path) == before
    assert path.exists() == existed  # nothing written there, not even a new file in backups/


@pytest.mark.parametrize(("command", "name"),
                         [("report", "照片.pdf"), ("export", "台账.json"), ("backup", "b.sqlite3")])
def test_an_existing_file_of_another_kind_is_never_overwritten(store, noted, tmp_path, capsys, command, name):
    victim = tmp_path / name
    victim.write_bytes(b"\x89PNG\r\n\x1a\n a photo of the meeting")
    args = {"report": ["report", "--office", OFFICE, "--out", str(victim), "--fonts", "bundled"],
            "export": ["progress", "export", "--office", OFFICE, "--out", str(victim)],
            "backup": ["backup", "--out", str(victim)]}[command]
    code, err = run_main(capsys, *args)
    assert code == 2 and "已存在" in err and "没有覆盖" in err
    assert victim.read_bytes() == b"\x89PNG\r\n\x1a\n a photo of the meeting"


def test_export_into_a_missing_folder_or_onto_a_folder_is_refused(store, tmp_path, capsys):
    code, err = run_main(capsys, "progress", "export", "--office", OFFICE, "--out", str(tmp_path / "无" / "p.json"))
    assert code == 2 and "保存位置不存在" in err
    folder = tmp_path / "p.json"
    folder.mkdir()
    code, err = run_main(capsys, "progress", "export", "--office", OFFICE, "--out", str(folder))
    assert code == 2 and "文件夹" in err
    assert list(folder.iterdir()) == [] and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_an_empty_report_is_refused_unless_allowed(store, tmp_path, capsys):
    out = tmp_path / "空.pdf"
    code, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(out), "--fonts", "bundled")
    assert code == 2 and "--allow-empty" in err and not out.exists()
    assert archive_rows(store) == []
    code, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(out), "--fonts", "bundled",
                         "--allow-empty")
    assert code == 0 and out.exists() and len(archive_rows(store)) == 1


def test_progress_set_changes_one_field_and_keeps_the_rest(store, capsys):
    pid = store.current_plan_id()
    store.save_progress(pid, OFFICE, Progress(38, Status.IN_PROGRESS, 40, owner="党政办", achievements="已建立台账"))
    assert run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "38", "--field", "percent",
                    "--value", "90")[0] == 0
    entry = store.progress(pid, OFFICE)[38]
    assert (entry.percent, entry.owner, entry.achievements, entry.status) == (90, "党政办", "已建立台账",
                                                                              Status.IN_PROGRESS)
    code, err = run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "38", "--field", "percent",
                         "--value", "九十")
    assert code == 2 and "0 到 100" in err
    code, err = run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "999", "--field", "owner",
                         "--value", "x")
    assert code == 2 and "999" in err
    assert store.progress(pid, OFFICE)[38].percent == 90


def test_progress_set_slow_sets_and_clears_the_flag_beside_the_status(session, store, capsys):
    from db.sheets import load_flags

    pid = store.current_plan_id()
    store.save_progress(pid, OFFICE, Progress(38, Status.IN_PROGRESS, 40, owner="党政办"))
    store.save_progress(pid, OFFICE, Progress(39, Status.DONE, 100))
    code, err = run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "38", "--field", "slow",
                         "--value", "是")
    assert code == 0 and "任务 38 的“进展缓慢”已保存" in err
    assert load_flags(store.conn, pid, OFFICE) == {38: frozenset({"slow"})}
    assert store.progress(pid, OFFICE)[38].status is Status.IN_PROGRESS  # a flag, not a status
    from actions import editing

    assert editing.slow_tasks(session, pid, OFFICE) == {38}
    code, err = run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "38", "--field", "slow",
                         "--value", "是")
    assert code == 0 and "没有变化" in err
    code, err = run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "39", "--field", "slow",
                         "--value", "是")
    assert code == 2 and "已完成" in err and "进展缓慢" in err
    code, err = run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "38", "--field", "slow",
                         "--value", "也许")
    assert code == 2 and "是 或 否" in err
    assert load_flags(store.conn, pid, OFFICE) == {38: frozenset({"slow"})}
    assert run_main(capsys, "progress", "set", "--office", OFFICE, "--task", "38", "--field", "slow",
                    "--value", "否")[0] == 0
    assert load_flags(store.conn, pid, OFFICE) == {}


def test_an_internal_error_is_logged_with_its_traceback_and_told_plainly(store, capsys, monkeypatch):
    import cli.commands

    def broken(ctx, args):
        raise RuntimeError("模拟的程序错误")

    monkeypatch.setattr(cli.commands, "cmd_offices", broken)
    code, err = run_main(capsys, "offices")
    assert code == 1 and "内部错误：RuntimeError: 模拟的程序错误" in err and "Traceback" not in err
    log = (store.path.parent / "logs" / "taizhang.log").read_text(encoding="utf-8")
    assert "internal error" in log and "Traceback" in log and "模拟的程序错误" in log


def _progress_file(path: Path, office: str, entries: list[dict]) -> Path:
    import json

    doc = {"format": "taizhang-progress", "version": 1, "office": office,
           "plan": {"title": "德庆县2019年政务公开工作要点分工方案", "year": 2019}, "entries": entries}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_progress_import_changes_only_named_fields_and_respects_newer_edits(store, tmp_path, capsys):
    pid = store.current_plan_id()
    store.save_progress(pid, OFFICE, Progress(38, Status.IN_PROGRESS, 40, owner="党政办", achievements="已建立台账",
                                              problems="人手不足", next_steps="每月通报"))
    stamp = datetime.now().isoformat(timespec="seconds")  # unstamped would count as older than the saved entry
    partial = _progress_file(tmp_path / "p.json", OFFICE, [{"task": 38, "percent": 90, "updated_at": stamp}])
    before = fingerprint(store.path)
    code, err = run_main(capsys, "progress", "import", str(partial), "--dry-run")
    assert code == 0 and fingerprint(store.path) == before  # a dry run writes nothing
    assert run_main(capsys, "progress", "import", str(partial))[0] == 0
    entry = store.progress(pid, OFFICE)[38]
    assert (entry.percent, entry.owner, entry.achievements, entry.problems, entry.next_steps) == (
        90, "党政办", "已建立台账", "人手不足", "每月通报")

    old = _progress_file(tmp_path / "old.json", OFFICE,
                         [{"task": 38, "achievements": "旧的说法", "updated_at": "2019-01-01T00:00:00"}])
    code, err = run_main(capsys, "progress", "import", str(old))
    assert code == 0 and "未导入" in err and "--force" in err
    assert store.progress(pid, OFFICE)[38].achievements == "已建立台账"
    assert run_main(capsys, "progress", "import", str(old), "--force")[0] == 0
    assert store.progress(pid, OFFICE)[38].achievements == "旧的说法"


def test_progress_import_refuses_another_office_and_unassigned_tasks(store, tmp_path, capsys):
    other = _progress_file(tmp_path / "d.json", "德城街道", [{"task": 12, "percent": 50, "status": "in_progress"}])
    run_main(capsys, "offices")  # no office remembered yet
    store.set_setting("office", OFFICE)
    before = fingerprint(store.path)
    code, err = run_main(capsys, "progress", "import", str(other))
    assert code == 2 and "德城街道" in err and "--office" in err and fingerprint(store.path) == before
    assert run_main(capsys, "progress", "import", str(other), "--office", "德城街道")[0] == 0
    unassigned = _progress_file(tmp_path / "u.json", OFFICE, [{"task": 68, "percent": 10, "status": "in_progress"}])
    code, err = run_main(capsys, "progress", "import", str(unassigned))
    assert code == 2 and "任务 68" in err
