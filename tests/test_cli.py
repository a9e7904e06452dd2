"""The command line: task listings, progress import/export, refusals and exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TAIZHANG_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT)


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    from main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_tasks_json_for_town(data_dir, capsys):
    code, out, _ = run_main(capsys, "tasks", "--office", "悦城镇", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 68
    keys = ["number", "section", "subsection", "text", "lead_units", "responsible_units", "cooperating_units",
            "role", "status", "percent", "owner", "due", "steps", "achievements", "problems", "next_steps",
            "updated_at"]
    assert all(k in rows[0] for k in keys)
    by_number = {r["number"]: r for r in rows}
    assert by_number[38]["role"] == "lead" and by_number[65]["role"] == "none"
    assert by_number[12]["role"] == "responsible"
    assert by_number[12]["lead_units"] == ["县府办"]
    assert sum(r["role"] != "none" for r in rows) == 66
    row = by_number[12]
    assert (row["filled"], row["state"], row["status"]) == (False, "未填写", "not_started")


def test_tasks_json_says_filled_and_slow(data_dir, capsys):
    assert run_main(capsys, "progress", "set", "--office", "悦城镇", "--task", "12", "--field", "status",
                    "--value", "推进中")[0] == 0
    assert run_main(capsys, "progress", "set", "--office", "悦城镇", "--task", "12", "--field", "slow",
                    "--value", "是")[0] == 0
    code, err = run_main(capsys, "progress", "set", "--office", "悦城镇", "--task", "13", "--field", "slow",
                         "--value", "是")[::2]
    assert code == 2 and "尚未填写" in err
    rows = {r["number"]: r for r in json.loads(run_main(capsys, "tasks", "--office", "悦城镇", "--json")[1])}
    assert (rows[12]["filled"], rows[12]["slow"], rows[12]["state"]) == (True, True, "推进中（进展缓慢）")
    assert (rows[13]["filled"], rows[13]["slow"], rows[13]["state"]) == (False, False, "未填写")


def test_tasks_json_for_education_bureau(data_dir, capsys):
    code, out, _ = run_main(capsys, "--office", "县教育局", "tasks", "--json")
    assert code == 0
    roles = {r["number"]: r["role"] for r in json.loads(out)}
    assert [n for n, r in roles.items() if r == "lead"] == [8, 34, 35, 65]
    assert roles[11] == "related" and roles[25] == "none"


def test_offices_json(data_dir, capsys):
    code, out, _ = run_main(capsys, "offices", "--json")
    offices = json.loads(out)
    assert code == 0 and len(offices) == 40
    assert {"name": "悦城镇", "kind": "town", "builtin": True} in offices


def test_unknown_office_exit_2(data_dir, capsys):
    code, _, err = run_main(capsys, "tasks", "--office", "火星镇")
    assert code == 2 and "未知单位" in err


def _payload(**over) -> dict:
    doc = {"format": "taizhang-progress", "version": 1, "office": "悦城镇",
           "plan": {"title": "德庆县2019年政务公开工作要点分工方案", "year": 2019},
           "entries": [{"task": 12, "status": "done", "percent": 100, "owner": "党政办 李堃",
                        "due": "2019-11-30", "steps": "一、\r\n二、\t三",
                        "achievements": "办结市长留言 12 件😀\u0000\u202e",
                        "problems": "人手不足\x07", "next_steps": "喆赟镕玥𠀀"}]}
    doc.update(over)
    return doc


def test_import_export_round_trip(data_dir, tmp_path, capsys):
    src = tmp_path / "in.json"
    src.write_text(json.dumps(_payload(), ensure_ascii=False), encoding="utf-8")
    code, _, err = run_main(capsys, "progress", "import", str(src))
    assert code == 0, err
    out = tmp_path / "out.json"
    code, _, _ = run_main(capsys, "progress", "export", "--office", "悦城镇", "--out", str(out))
    assert code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    entry = exported["entries"][0]
    original = _payload()["entries"][0]
    for key in ("task", "status", "percent", "owner", "due", "steps", "achievements", "problems", "next_steps"):
        assert entry[key] == original[key]
    assert entry["achievements"].encode("utf-8") == original["achievements"].encode("utf-8")
    # and the exported file imports again without change
    code, _, err = run_main(capsys, "progress", "import", str(out))
    assert code == 0 and "0 个任务有变化" in err


BAD = {
    "not json": "{not json",
    "wrong format": json.dumps(_payload(format="other")),
    "wrong version": json.dumps(_payload(version=2)),
    "unknown office": json.dumps(_payload(office="火星镇")),
    "unknown task": json.dumps(_payload(entries=[{"task": 99, "status": "done"}])),
    "unknown status": json.dumps(_payload(entries=[{"task": 12, "status": "finished"}])),
    "bad date": json.dumps(_payload(entries=[{"task": 12, "status": "done", "due": "2019-13-01"}])),
    "too long": json.dumps(_payload(entries=[{"task": 12, "achievements": "字" * 100_001}])),
    "second entry bad": json.dumps(_payload(entries=[{"task": 1, "achievements": "好"},
                                                     {"task": 2, "percent": 150}])),
}


def _db_digest(data_dir: Path) -> str:
    return hashlib.sha256((data_dir / "taizhang.sqlite3").read_bytes()).hexdigest()


@pytest.mark.parametrize("case", sorted(BAD))
def test_refused_import_changes_nothing(data_dir, tmp_path, case):
    assert run(data_dir, "check").returncode == 0  # creates and seeds the database
    before = _db_digest(data_dir)
    src = tmp_path / "bad.json"
    src.write_text(BAD[case], encoding="utf-8")
    result = run(data_dir, "progress", "import", str(src))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "错误" in result.stderr
    assert _db_digest(data_dir) == before
    assert json.loads(run(data_dir, "tasks", "--office", "悦城镇", "--json").stdout)[1]["achievements"] == ""


def test_refusal_names_entry_and_field(data_dir, tmp_path, capsys):
    src = tmp_path / "bad.json"
    src.write_text(BAD["bad date"], encoding="utf-8")
    code, _, err = run_main(capsys, "progress", "import", str(src))
    assert code == 2 and "第 1 条记录（任务 12）" in err and "due" in err


def test_check_ok(data_dir, capsys):
    code, out, _ = run_main(capsys, "check")
    assert code == 0 and out.strip() == "ok"
