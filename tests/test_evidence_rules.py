"""Names made from titles: every one is a name Windows accepts and read_package lets through."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.evidence_rules import safe_file_name, safe_suffix, title_from_file_name
from core.package.read import check_member_name
from core.package.write import PackageEvidence, evidence_paths

HOSTILE = st.text(alphabet=st.sampled_from(list(':*?"<>|/\\. \t\n\x00\u202e\u200b\ud800') + list("会议照片abcCON1"))
                  | st.characters(), max_size=300)


@settings(max_examples=400, deadline=None)
@given(title=HOSTILE, task_name=HOSTILE, suffix=st.text(max_size=12))
def test_any_title_makes_a_path_the_reader_accepts(title, task_name, suffix):
    name = safe_file_name(title)
    assert name and len(name.encode("utf-8")) <= 120
    assert not set(name) & set(':*?"<>|/\\') and name == name.rstrip(". ")
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    file_path, _ = evidence_paths(PackageEvidence(12, task_name, "12-1", title, Path("x"), suffix))
    assert file_path is not None and file_path.startswith("佐证材料/任务12")
    assert check_member_name(file_path, Path("p.zip")) == file_path
    assert len(file_path) <= 300


def test_examples():
    assert safe_file_name('通知:第1期*"重要"<附件>|?') == "通知：第1期＊＂重要＂＜附件＞｜？"
    assert safe_file_name("con") == "_con" and safe_file_name("NUL.txt") == "_NUL.txt"
    assert safe_file_name(" 报告. . ") == "报告" and safe_file_name("...") == "未命名"
    assert safe_file_name("照片\u202egpj.exe") == "照片gpj.exe"
    assert safe_suffix(".JPG") == ".jpg" and safe_suffix(".j p g") == "" and safe_suffix("") == ""
    assert title_from_file_name("会议照片.jpg") == "会议照片" and title_from_file_name(".bashrc") == ".bashrc"
