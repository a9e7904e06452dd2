"""Reading a plan's deadline words (完成时限) as a date where one can be read.

``2019年6月底前`` → 2019-06-30, ``9月30日前`` → the plan's year's 09-30, ``年底前`` → 12-31,
``二季度`` → 06-30. Words with no date (长期坚持, 持续推进, 常态化) are kept as they are and give
no date. The words are always kept: the plan's own wording is what the clerk sees.
"""

from __future__ import annotations

import re
from datetime import date

from core.patterns import LazyPattern

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:(?P<y>(?:19|20)\d{2})\s*年)?"
_MONTH_RE = LazyPattern(
    rf"{_YEAR}\s*(?P<m>{_MONTH})\s*月\s*(?:(?P<d>{_DAY})\s*[日号]|(?P<part>底|末|中旬|上旬|下旬|份|中))?")
_PERIOD_RE = LazyPattern(
    rf"{_YEAR}\s*(?P<p>年底|年末|年内|全年|上半年|下半年|[一二三四1-4第]+季度(?:末)?|今年|本年度?)")
_ONGOING = ("长期坚持", "持续推进", "长期推进", "常态化", "长期", "持续", "每年", "每季度", "每月", "按要求",
            "按上级要求", "适时", "随时", "定期")
# A deadline inside a task's own text: it must say 前/之前/完成 or be 年底前, so "2019年6月印发的" is not one.
_IN_TEXT_RE = LazyPattern(
    rf"(?:{_YEAR.replace('?P<y>', '?:')}\s*{_MONTH}\s*月\s*(?:{_DAY}\s*[日号]|底|末|中旬|上旬|下旬)?\s*(?:前|之前|以前)"
    rf"|(?:(?:19|20)\d{{2}}\s*年)?\s*(?:年底|年末|上半年|下半年)\s*(?:前|之前)"
    rf"|(?:(?:19|20)\d{{2}}\s*年)?\s*(?:年底|年末)完成)"
)
_QUARTER = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}


def _month(s: str) -> int:
    return int(s) if s.isdigit() else _CN_NUM[s]


def _last_day(y: int, m: int) -> int:
    import calendar  # with locale, ~1.5 ms: only reading a plan needs it, not every start

    return calendar.monthrange(y, m)[1]


def _dates(words: str, year: int) -> list[date]:
    found: list[date] = []
    for m in _MONTH_RE.finditer(words):
        y = int(m["y"]) if m["y"] else year
        mo = _month(m["m"])
        part = m["part"] or ""
        if m["d"]:
            d = int(m["d"])
        elif part in ("中旬", "中"):
            d = 20
        elif part == "上旬":
            d = 10
        else:
            d = _last_day(y, mo)
        try:
            found.append(date(y, mo, min(d, _last_day(y, mo))))
        except ValueError:
            continue
    for m in _PERIOD_RE.finditer(words):
        y = int(m["y"]) if m["y"] else year
        p = m["p"]
        if p == "上半年":
            found.append(date(y, 6, 30))
        elif "季度" in p:
            q = next((_QUARTER[ch] for ch in p if ch in _QUARTER), 12)
            found.append(date(y, q, _last_day(y, q)))
        else:
            found.append(date(y, 12, 31))
    return found


def parse_due(words: str, year: int) -> tuple[date | None, str]:
    """A deadline cell's date (the latest date it names) and its words, trimmed.

    长期坚持 and its like give (None, words); an empty cell gives (None, "").
    """
    text = " ".join(words.split()).strip(" 。.;；,，")
    if not text:
        return None, ""
    if text.startswith(_ONGOING) and not re.search(r"\d+\s*月|年底|季度", text):
        return None, text
    found = _dates(text, year)
    return (max(found) if found else None), text


def due_in_text(text: str, year: int) -> tuple[date | None, str]:
    """The deadline a task's own text states (……，6月底前完成), or (None, "")."""
    found = list(_IN_TEXT_RE.finditer(text))  # the last one: a task may first mention an earlier step
    m = found[-1] if found else None
    if m is None:
        return None, ""
    words = m.group(0).strip()
    found = _dates(words, year)
    return (max(found) if found else None), words


_CELL_RE = LazyPattern(
    r"^(?:(?:19|20)\d{2}年)?(?:(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:(?:3[01]|[12]\d|0?[1-9])[日号])?"
    r"(?:底|末|中旬|上旬|下旬)?|年底|年末|上半年|下半年|全年|年内|[一二三四1-4]季度末?)"
    r"(?:前|之前|以前)?(?:完成|完成任务)?$")


def is_deadline_cell(line: str) -> bool:
    """A line that is only a deadline (6月底前, 2019年12月31日前, 长期坚持), as a table cell copied one per line."""
    s = "".join(line.split()).strip("。.;；,，()（）")
    for label in ("完成时限", "时限要求", "完成时间", "时限"):
        s = s.removeprefix(label).lstrip(":：")
    if not s or len(s) > 20:
        return False
    if s in _ONGOING or s in ("长期坚持", "持续推进", "常态化推进", "长期开展", "持续开展", "长期坚持推进"):
        return True
    parts = re.split(r"[-—~至到、]", s)
    return all(_CELL_RE.match(p) for p in parts if p)
