"""The report command: build, archive, list, reprint, and refusals that keep the earlier PDF."""

from __future__ import annotations

import errno
import hashlib
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report_fixtures import OFFICE, town_progress, town_roles


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    from main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def entered(data_dir: Path) -> Path:
    """The real 2019 plan with 悦城镇's progress entered one task at a time, as the editor saves it."""
    from tests.stores import open_store

    store = open_store(data_dir)
    try:
        plan_id = store.current_plan_id()
        plan = store.plan(plan_id)
        roles = town_roles(plan)
        for entry in town_progress(plan, roles).values():
            store.save_progress(plan_id, OFFICE, entry)
    finally:
        store.close()
    return data_dir


def _archive(data_dir: Path) -> list:
    from tests.stores import open_store

    store = open_store(data_dir)
    try:
        plan_id = store.current_plan_id()
        return [(r, store.archived_data(r.id)) for r in store.archived_reports(plan_id, OFFICE)]
    finally:
        store.close()


def test_report_written_archived_and_reprinted(entered: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "报告.pdf"
    code, _, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(out), "--date", "2019-12-04",
                            "--fonts", "bundled")
    assert code == 0, err
    data = out.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    reader = PdfReader(io.BytesIO(data))
    assert f"{len(reader.pages)} 页" in err and sha in err and str(out) in err
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert "悦城镇人民政府关于德庆县2019年政务公开工作要点分工方案落实情况的报告" in text
    assert "2019年12月4日" in text and "（任务43 " in text  # each item names its task: number and short name
    assert "德庆县2019年政务公开工作要点落实情况台账" in text  # the ledger (its table turned on portrait sheets)

    [(row, pdf)] = _archive(entered)
    assert row.sha256 == sha and pdf == data
    assert row.report_date == "2019-12-04"
    assert row.options["font_choice"] == "bundled" and row.options["include_ledger"] is True

    code, listing, _ = run_main(capsys, "report", "list", "--office", OFFICE)
    assert code == 0
    assert listing.split("\t")[:4] == [str(row.id), "2019-12-04", "pdf", sha[:12]]

    again = tmp_path / "重印.pdf"
    code, _, err = run_main(capsys, "report", "reprint", str(row.id), "--out", str(again))
    assert code == 0, err
    assert again.read_bytes() == data


def test_no_ledger_is_portrait_only(entered: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.pdf"
    code, _, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(out), "--no-ledger",
                            "--fonts", "bundled", "--date", "2019-12-04")
    assert code == 0, err
    reader = PdfReader(out)
    assert all(p.mediabox.height > p.mediabox.width for p in reader.pages)


@pytest.mark.parametrize("args, message", [
    (("--office", "无此镇"), "未知单位"),
    (("--office", OFFICE, "--date", "2019-13-01"), "日期不对"),
    (("--office", OFFICE, "--date", "12/04/2019"), "日期不对"),
])
def test_bad_input_exit_2_keeps_old_file(entered: Path, tmp_path: Path, capsys, args, message) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"old")
    code, _, err = run_main(capsys, "report", "--out", str(out), "--fonts", "bundled", *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert out.read_bytes() == b"old"
    assert _archive(entered) == []


def test_missing_folder_exit_2(entered: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(tmp_path / "无" / "r.pdf"))
    assert code == 2 and "保存位置不存在" in err


def test_unknown_archive_id_exit_2(entered: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run_main(capsys, "report", "reprint", "999", "--out", str(tmp_path / "r.pdf"))
    assert code == 2 and "999" in err


def test_full_disk_keeps_old_file(entered: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.pdf"
    out.write_bytes(b"%PDF-1.4 old report")

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    code, _, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(out), "--fonts", "bundled")
    assert code == 1
    assert "磁盘空间已满" in err and "Traceback" not in err
    assert out.read_bytes() == b"%PDF-1.4 old report"
    assert [p.name for p in folder.iterdir()] == ["r.pdf"]  # no temporary file left
    monkeypatch.undo()
    assert _archive(entered) == []  # nothing archived that was never delivered


def test_missing_glyphs_are_warned(entered: Path, tmp_path: Path, capsys) -> None:
    from core.model import ReportTexts
    from tests.stores import open_store

    store = open_store(entered)
    try:
        store.save_report_texts(store.current_plan_id(), OFFICE, ReportTexts(signer="悦城镇\U0002A6A5"))
    finally:
        store.close()
    out = tmp_path / "r.pdf"
    code, _, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(out), "--fonts", "bundled")
    assert code == 0, err
    assert "警告" in err and "\U0002A6A5" in err and "〓" in err


@pytest.mark.parametrize("paper, size_code, columns", [(None, "9", 8), ("a4", "9", 8), ("a3", "8", 13)])
def test_excel_ledger_paper_is_the_clerks_choice(entered: Path, tmp_path: Path, capsys, paper, size_code,
                                                 columns) -> None:
    import openpyxl

    out = tmp_path / "台账.xlsx"
    args = ["report", "--office", OFFICE, "--out", str(out), "--date", "2019-12-04"]
    code, _, err = run_main(capsys, *args, *(["--paper", paper] if paper else []))
    assert code == 0, err
    ws = openpyxl.load_workbook(out).active
    assert str(ws.page_setup.paperSize) == size_code
    assert ws.max_column == columns
    (row, _), = _archive(entered)
    assert row.options["paper"] == (paper or "a4")


def test_an_unknown_paper_is_refused(entered: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "台账.xlsx"
    with pytest.raises(SystemExit) as exc:
        run_main(capsys, "report", "--office", OFFICE, "--out", str(out), "--paper", "b5")
    assert exc.value.code == 2 and not out.exists()
