"""plan import / list / use on the command line, with carry-over from the 2019 plan."""

from __future__ import annotations

import json

from core.model import Progress, Status
from tests.stores import open_store
from tests.test_cli import run_main


def _plan_2020(notice_text: str, tmp_path):
    text = notice_text.replace("2019", "2020").replace(
        "14.认真做好县长信箱留言办理工作。", "14.认真做好县长信箱和网民留言办理工作。")
    path = tmp_path / "2020.txt"
    path.write_text(text, encoding="gb18030")
    return path


def test_dry_run_json_writes_nothing(data_dir, tmp_path, notice_text, capsys):
    src = _plan_2020(notice_text, tmp_path)
    code, out, err = run_main(capsys, "plan", "import", str(src), "--dry-run", "--json", "--office", "悦城镇")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["title"] == "德庆县2020年政务公开工作要点分工方案"
    assert len(doc["tasks"]) == 68 and doc["tasks"][37]["role"] == "lead"
    assert set(doc["tasks"][0]) >= {"number", "text", "lead_units", "role", "status", "next_steps"}
    assert "GB18030" in err and "未写入" in err
    store = open_store(data_dir)
    assert [p.year for p in store.plans()] == [2019]
    store.close()


def test_import_use_and_carry_over(data_dir, tmp_path, notice_text, capsys):
    store = open_store(data_dir)
    store.save_progress(1, "悦城镇", Progress(14, Status.DONE, 100, achievements="县长信箱留言 8 件全部办结"))
    store.close()
    src = _plan_2020(notice_text, tmp_path)
    code, _, err = run_main(capsys, "--office", "悦城镇", "plan", "import", str(src), "--carry-over")
    assert code == 0, err
    assert "带入 悦城镇 的 1 条记录" in err
    code, out, _ = run_main(capsys, "plan", "list")
    assert out.splitlines()[0].startswith("* 1\t2019") and "2\t2020\t68 项" in out
    code, _, _ = run_main(capsys, "plan", "use", "2")
    code, out, _ = run_main(capsys, "tasks", "--office", "悦城镇", "--json")
    rows = json.loads(out)
    assert rows[13]["achievements"] == "县长信箱留言 8 件全部办结" and rows[13]["status"] == "done"
    assert rows[12]["achievements"] == ""
    # importing the same plan twice is refused
    code, _, err = run_main(capsys, "plan", "import", str(src))
    assert code == 2 and "已经有同名方案" in err


def test_bad_plan_files_exit_2(data_dir, tmp_path, capsys):
    cases = {"empty.txt": b"", "fake.docx": b"PK\x03\x04not really a zip", "bin.txt": bytes(range(256)) * 20,
             "none.txt": "请各单位认真落实。".encode()}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        code, _, err = run_main(capsys, "plan", "import", str(tmp_path / name))
        assert code == 2, name
        assert "未写入任何内容" in err and "Traceback" not in err
