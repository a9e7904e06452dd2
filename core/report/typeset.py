"""Turning plain text into paragraphs with the right fonts, and noting unprintable characters."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from core.report.fonts import FontSet
from core.report.layout import Styles, make_styles
from core.report.linebreak import CJKParagraph
from core.report.text import clean


class Typesetter:
    """Makes paragraphs for one report and remembers every character no font could print."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.styles: Styles = make_styles(fonts)
        self.missing: set[str] = set()
        self._roles = {fonts.primary(r): r for r in ("kai", "hei", "title", "body")}

    def role_of(self, style: ParagraphStyle) -> str:
        return self._roles.get(style.fontName, "body")

    def markup(self, text: str, style: ParagraphStyle, convert: bool = True) -> str:
        """Escaped paragraph markup for ``text`` in ``style``'s role, with font fallback runs."""
        if convert:
            text = clean(text)
        self.missing |= self.fonts.missing(text)
        return self.fonts.markup(text, self.role_of(style))

    def para(self, text: str, style: ParagraphStyle, convert: bool = True) -> CJKParagraph:
        return CJKParagraph(self.markup(text, style, convert), style)

    def lines_para(self, lines: list[str], style: ParagraphStyle) -> CJKParagraph:
        """One paragraph holding several lines (for table cells): lines joined by line breaks."""
        return CJKParagraph("<br/>".join(self.markup(x, style) for x in lines), style)
