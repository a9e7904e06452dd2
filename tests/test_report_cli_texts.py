"""``report texts``: every report text can be set from the command line or a texts file, and is printed."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader

from tests.report_fixtures import OFFICE
from tests.test_cli_report import entered, run_main  # noqa: F401  (the fixture)


def _flat(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "").replace(" ", "")


def test_set_every_text_then_the_report_prints_them(entered: Path, tmp_path: Path, capsys) -> None:  # noqa: F811
    code, out, err = run_main(capsys, "report", "texts", "--office", OFFICE,
                              "--set", "开头段落", "按照县府办通知要求，现将有关情况报告如下：",
                              "--set", "一", "一是健全解读机制，全年解读文件12件；二是处置舆情3起。",
                              "--set", "落款单位", "中共悦城镇委员会",
                              "--set", "联系人", "王堃", "--set", "contact_phone", "0758-7712345",
                              "--set", "加盖印章", "是", "--set", "篇幅", "简要")
    assert code == 0, err
    assert "已保存 7 项报告文字" in err
    assert "开头段落\t按照县府办通知要求，现将有关情况报告如下：" in out
    assert "一、着眼稳定预期,加强政策解读和回应关切\t一是健全解读机制，全年解读文件12件；二是处置舆情3起。" in out
    assert "加盖印章\t是" in out and "篇幅\t简要" in out
    pdf = tmp_path / "r.pdf"
    code, _, err = run_main(capsys, "report", "--office", OFFICE, "--out", str(pdf), "--date", "2019-12-04",
                            "--fonts", "bundled")
    assert code == 0, err
    text = _flat(pdf.read_bytes())
    assert text.startswith("—1—中共悦城镇委员会关于德庆县2019年")  # the title names the 署名's organ
    assert "一是健全解读机制，全年解读文件12件；二是处置舆情3起。" in text
    part_two = text.split("二、主要成效做法")[1].split("三、存在问题")[0]
    assert "（任务1重要政策措施解读工作）" not in part_two  # 简要: section 一's tasks only in the annex
    assert "（任务17出台和调整政策要加强与市场沟通）" in part_two  # section 二 has no summary
    assert "（联系人：王堃，联系电话：0758-7712345）" in text


def test_texts_file_and_bad_names_change_nothing(entered: Path, tmp_path: Path, capsys) -> None:  # noqa: F811
    good = tmp_path / "texts.json"
    good.write_text(json.dumps({"closing": "特此报告。", "section_summaries": ["", "第二部分概述。"],
                                "sealed": True}, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_main(capsys, "report", "texts", "--office", OFFICE, "--file", str(good))
    assert code == 0, err
    assert "二、强化权力监督,深入推进决策和执行公开\t第二部分概述。" in out and "加盖印章\t是" in out
    code, out, err = run_main(capsys, "report", "texts", "--office", OFFICE, "--set", "结尾段落", "新的结尾。",
                              "--set", "页眉", "x")
    assert code == 2
    assert "没有名为“页眉”的报告文字" in err
    code, out, err = run_main(capsys, "report", "texts", "--office", OFFICE, "--set", "九", "x")
    assert code == 2 and "方案只有 5 个部分，没有第九部分" in err
    code, out, _ = run_main(capsys, "report", "texts", "--office", OFFICE)
    assert "结尾段落\t特此报告。" in out  # the bad call saved nothing, not even its good name
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run_main(capsys, "report", "texts", "--office", OFFICE, "--file", str(bad))
    assert code == 2 and "应是一个 JSON 对象" in err


def test_drafts_are_shown_not_saved(entered: Path, capsys) -> None:  # noqa: F811
    code, out, err = run_main(capsys, "report", "texts", "--office", OFFICE, "--draft")
    assert code == 0, err
    assert "一、着眼稳定预期,加强政策解读和回应关切\n一是重要政策措施解读工作，镇党政办牵头制定工作方案" in out
    code, out, _ = run_main(capsys, "report", "texts", "--office", OFFICE)
    assert "一、着眼稳定预期,加强政策解读和回应关切\t\n" in out  # nothing saved by showing a draft
