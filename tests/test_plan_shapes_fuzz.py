"""Hypothesis: plans generated in the shapes other counties publish read back with the tasks, units and
deadlines they were written with, whatever the mix of shapes."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from core.importers import import_text

CN = "一二三四五六七八九十"
LEADS = ("区政府办", "区发改局", "区教育局", "区财政局", "区卫健局")
RESPONSIBLE = ("各镇(街)", "区直各部门", "各乡镇", "市直各单位", "区民政局", "各街道")
DUES = (("6月底前", date(2021, 6, 30)), ("2021年9月30日前", date(2021, 9, 30)), ("年底前", date(2021, 12, 31)),
        ("长期坚持", None))


@st.composite
def plans(draw):
    numbering = draw(st.sampled_from(["arabic", "restart", "paren"]))
    units_style = draw(st.sampled_from(["bracket", "square", "line"]))
    groups = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    lines = ["关于印发某区2021年工作要点的通知", "各镇(街)，区直各部门：", "现印发给你们，请认真贯彻落实。"]
    expected = []
    n = 0
    for g, size in enumerate(groups):
        lines.append(f"{CN[g]}、第{CN[g]}部分工作")
        for i in range(size):
            n += 1
            lead = draw(st.sampled_from(LEADS))
            resp = tuple(draw(st.lists(st.sampled_from(RESPONSIBLE), min_size=1, max_size=2, unique=True)))
            due_words, due = draw(st.sampled_from(DUES))
            text = f"推进第{n}项重点工作，完善工作机制，确保取得实效。"
            label = f"牵头单位：{lead}；责任单位：{'、'.join(resp)}；完成时限：{due_words}"
            number = {"arabic": f"{n}.", "restart": f"{i + 1}.", "paren": f"（{CN[(n - 1) % 10]}）"}[numbering]
            if numbering == "paren" and n > 10:
                return None
            if units_style == "bracket":
                lines.append(f"{number}{text}（{label}）")
            elif units_style == "square":
                lines.append(f"{number}{text}[{label}]")
            else:
                lines += [f"{number}{text}", label]
            expected.append((n, g, text, (lead,), resp, due_words, due))
    return "\n".join(lines) + "\n", expected


@settings(max_examples=60, deadline=None)
@given(plans())
def test_generated_plans_read_back(case):
    if case is None:
        return
    text, expected = case
    plan = import_text(text).plan
    got = [(t.number, t.section, t.text, t.units.lead, t.units.responsible, t.due_text, t.due) for t in plan.tasks]
    want = [(n, g, txt, lead, tuple(r.replace("(", "(") for r in resp), words, due)
            for n, g, txt, lead, resp, words, due in expected]
    assert got == want
