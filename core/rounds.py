"""Reporting rounds (报送轮次): plans are reported on monthly, quarterly, at half-year and at year-end.

A report carries its round (2019年上半年, 2019年全年 …). The clerk may type any round; when the field is left
empty, the round follows from the report date (:func:`default_round`), the same in the window and the CLI.
"""

from __future__ import annotations

from datetime import date

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def default_round(report_date: date, plan_year: int | None = None) -> str:
    """The period a report dated ``report_date`` most likely covers: the one just ending or just ended.

    Mid-November to the end of January: the year (in January the year before). June and July: 上半年.
    March–April and September–October: the quarter just ending. Other months: the month itself.
    A report on a plan of an earlier year (a 2019 plan reported in 2020) covers that whole year.
    """
    if plan_year is not None and report_date.year > plan_year:
        return f"{plan_year}年全年"
    y, m, d = report_date.year, report_date.month, report_date.day
    if m == 12 or (m == 11 and d >= 15):
        return f"{y}年全年"
    if m == 1:
        return f"{y - 1}年全年"
    if m in (6, 7):
        return f"{y}年上半年"
    if m in (3, 4):
        return f"{y}年第一季度"
    if m in (9, 10):
        return f"{y}年第三季度"
    return f"{y}年{m}月"


def round_choices(report_date: date, plan_year: int | None = None) -> list[str]:
    """What the 报送轮次 list offers for a report date: the default first, then the year's usual rounds."""
    y = report_date.year
    usual = [f"{y}年全年", f"{y}年上半年", *(f"{y}年{q}" for q in QUARTERS), f"{y}年{report_date.month}月"]
    first = default_round(report_date, plan_year)
    return [first, *(c for c in usual if c != first)]


def effective_round(typed: str, report_date: date, plan_year: int | None = None) -> str:
    """The round a report is archived (and printed) with: what the clerk typed, else the default."""
    return typed.strip() or default_round(report_date, plan_year)
