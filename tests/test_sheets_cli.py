"""``progress sheet`` and ``progress sheet import`` from the command line; the reader under hypothesis."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.sheets.layout import HEADER_WORDS
from core.sheets.reading import read_answers
from main import main
from tests.sheet_fixtures import answer


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _digest(data_dir: Path) -> str:
    from actions.session import Session

    s = Session.open(data_dir, auto_backup=False)
    try:
        rows = s.store.conn.execute("SELECT * FROM progress ORDER BY task").fetchall()
        rows += s.store.conn.execute("SELECT * FROM progress_flags").fetchall()
    finally:
        s.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_cli_sheet_and_import(data_dir, tmp_path, capsys):
    assert run(capsys, "progress", "set", "--office", "悦城镇", "--task", "14", "--field", "owner",
               "--value", "经发办")[0] == 0
    code, _, err = run(capsys, "progress", "sheet", "--office", "悦城镇", "--out", str(tmp_path / "s.xlsx"))
    assert code == 0 and "经发办 1 项" in err and "未分配 65 项" in err
    filled = answer(tmp_path / "s.xlsx", tmp_path / "a.xlsx", "经发办", {14: {"status": "完成", "percent": 100}})
    before = _digest(data_dir)
    code, out, err = run(capsys, "progress", "sheet", "import", "--office", "悦城镇", str(filled), "--dry-run")
    assert code == 0 and "任务 14　状态　来自 经发办" in out and "共 2 处填报（1 项任务）" in err
    code, out, err = run(capsys, "progress", "sheet", "import", "--office", "悦城镇", str(filled))
    assert code == 0 and "加 --yes" in err
    assert _digest(data_dir) == before  # nothing without --yes
    code, _, err = run(capsys, "progress", "sheet", "import", "--office", "悦城镇", str(filled), "--yes",
                       "--choose", "14:percent=both")
    assert code == 2 and "不能“两者都保留”" in err and _digest(data_dir) == before
    code, out, err = run(capsys, "progress", "sheet", "import", "--office", "悦城镇", str(filled), "--dry-run",
                         "--choose", "14:进度=keep")
    assert code == 0 and "选择：保留现有" in out and "选择：采用股室填报" in out
    code, out, err = run(capsys, "progress", "sheet", "import", "--office", "悦城镇", str(filled), "--yes")
    assert code == 0 and "已写入 1 项任务" in err
    assert _digest(data_dir) != before
    code, out, _ = run(capsys, "tasks", "--office", "悦城镇", "--json")
    import json
    row = next(r for r in json.loads(out) if r["number"] == 14)
    assert row["status"] == "done" and row["percent"] == 100


def test_cli_bad_input_exit_2(data_dir, tmp_path, capsys):
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    code, _, err = run(capsys, "progress", "sheet", "import", "--office", "悦城镇", str(tmp_path / "a.xls"))
    assert code == 2 and "另存为" in err and "Traceback" not in err
    code, _, err = run(capsys, "progress", "sheet", "--office", "悦城镇")
    assert code == 2 and "--out" in err
    code, _, err = run(capsys, "progress", "sheet", "--office", "悦城镇", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and ".xlsx" in err


_cell = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                  st.text(max_size=40), st.sampled_from([w for ws in HEADER_WORDS.values() for w in ws]),
                  st.sampled_from(["完成", "序时推进", "进展缓慢", "=1+1", "80%", "12", "〔勿改〕任务序号"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.lists(_cell, min_size=1, max_size=8), min_size=0, max_size=12))
def test_reader_takes_any_grid(tmp_path_factory, grid):
    """Whatever the cells hold, the reader returns rows or names a problem; it never raises."""
    from core.sheets.cells import put

    wb = Workbook()
    ws = wb.active
    for i, row in enumerate(grid, 1):
        for j, v in enumerate(row, 1):
            put(ws, i, j, v)
    path = tmp_path_factory.mktemp("h") / "g.xlsx"
    wb.save(path)
    got = read_answers(path)
    assert len(got.rows) <= len(grid)
    for r in got.rows:
        assert any(v.strip() for v in r.values.values()) and 1 < r.row <= len(grid)


_keys = st.sampled_from(sorted(HEADER_WORDS))
_texts = st.one_of(st.text(max_size=30), st.sampled_from(["12", "13", "完成", "进展缓慢", "80%", "-1", "101", ""]))


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.dictionaries(_keys, _texts, max_size=8), max_size=10))
def test_review_takes_any_rows(plan, rows):
    """Whatever the rows hold, each is matched, listed or named as a problem; the review never raises."""
    from core.model import Progress
    from core.sheets.layout import plan_fingerprint
    from core.sheets.reading import AnswerFile, SheetRow
    from core.sheets.review import Context, review_answers

    file = AnswerFile("f.xlsx", [SheetRow("f.xlsx", "s", i + 4, r) for i, r in enumerate(rows)])
    ctx = Context(plan, plan_fingerprint(plan), "悦城镇", {}, {}, {}, lambda t, v: Progress(t))
    review = review_answers([file], ctx, {t.number for t in plan.tasks})
    assert review.matched_by_id + review.matched_by_text + len(review.extra_rows) <= len(rows)
    assert all(c.task in {t.number for t in plan.tasks} for c in review.changes)
