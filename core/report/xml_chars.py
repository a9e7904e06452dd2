"""Characters XML can't carry, kept visible (Word) or escaped the OOXML way (Excel) so no typed text is lost.

XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF; lxml refuses to write them and
openpyxl refuses the controls. A clerk can still paste one (a BEL from an old system, a form feed).
"""

from __future__ import annotations

import re

#: Characters XML 1.0 cannot hold (tab, LF and CR are allowed).
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What an OOXML reader would take for an escape (_x000D_), so a literal one must itself be escaped.
_OOXML_ESCAPE_LIKE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def visible(text: str) -> str:
    """For print: each character XML can't hold becomes a visible [U+0007]."""
    return ILLEGAL_XML.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def ooxml_escape(text: str) -> str:
    """For SpreadsheetML strings (ST_Xstring): illegal characters and CR as _xHHHH_, literal _xHHHH_ as _x005F_xHHHH_.

    Excel and LibreOffice decode these back to the exact characters typed; CR is escaped because XML
    parsers turn a raw CR (and CR LF) into LF.
    """
    text = _OOXML_ESCAPE_LIKE.sub("_x005F_", text)
    return re.sub("[\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]",
                  lambda m: f"_x{ord(m.group()):04X}_", text)


def ooxml_unescape(text: str) -> str:
    """The inverse of :func:`ooxml_escape` (what Excel does when it reads a string)."""
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
