"""The one parser for dates a person types, used by every front end (report --date, progress set --field due,
evidence --date …).

Accepted: 2019-1-4, 2019-01-04, 2019/1/4, 2019.1.4 and 2019年1月4日 (日 may be left off), with full-width
digits and separators (what a Chinese input method types) and spaces around the parts. One separator
throughout: 2019-1/4 is refused. Machine formats (manifests, progress files, ISO time stamps) are not read
here: they stay strict ``YYYY-MM-DD`` where they are read.
"""

from __future__ import annotations

from datetime import date

from core.patterns import LazyPattern

#: What the messages show as the expected form.
DATE_EXAMPLE = "2019-12-04"
HUMAN_FORMS = ("2019-1-4", "2019-01-04", "2019/1/4", "2019.1.4", "2019年1月4日")

_SEPARATED = LazyPattern(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_CHINESE = LazyPattern(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> date:
    """The date a person wrote; ValueError (with the text in its message) when it is not one of the forms
    above or not a real day (2019-2-30)."""
    import unicodedata  # a typed date only: not imported at every start

    if not isinstance(text, str):
        raise ValueError(f"不是日期：{text!r}")
    plain = unicodedata.normalize("NFKC", text).strip()
    m = _SEPARATED.fullmatch(plain)
    if m:
        year, month, day = m.group(1), m.group(3), m.group(4)
    else:
        m = _CHINESE.fullmatch(plain)
        if not m:
            raise ValueError(f"不是日期：{text[:40]}")
        year, month, day = m.groups()
    if not all(part.isascii() for part in (year, month, day)):  # \d also matches other scripts' digits
        raise ValueError(f"不是日期：{text[:40]}")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"没有这一天：{text[:40]}") from None
