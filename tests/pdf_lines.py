"""Where the text of a reportlab PDF page sits: glyph by glyph from the content stream (pypdf).

pypdf's own text extraction gives a run's start but not where its glyphs end, and the report sets
character spacing (Tc) per line; this follows the text state (Tf, Tc, Tm/Td/T*, q/Q) and the fonts'
/Widths, so each line's first and last glyph are known to a hundredth of a point. Only what reportlab
writes is handled: simple fonts, Tj, no text rise or scaling.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from pypdf import PageObject
from pypdf.generic import ContentStream


@dataclass
class Line:
    y: float  # baseline
    x0: float  # left edge of the first glyph
    x1: float  # right edge (advance) of the last glyph
    text: str
    size: float
    xs: tuple[float, ...] = ()  # left edge of every glyph


def _font_info(page: PageObject) -> dict[str, tuple[int, list[float], dict[int, str]]]:
    fonts = {}
    for name, ref in page["/Resources"]["/Font"].items():
        font = ref.get_object()
        first = int(font.get("/FirstChar", 0))
        widths = [float(w) for w in font.get("/Widths", [])]
        cmap: dict[int, str] = {}
        if "/ToUnicode" in font:
            data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for line in data.splitlines():
                parts = line.replace("<", " ").replace(">", " ").split()
                if len(parts) == 2 and all(len(p) <= 4 for p in parts):
                    with contextlib.suppress(ValueError):
                        cmap[int(parts[0], 16)] = chr(int(parts[1], 16))
            # bfrange blocks
            block = data.split("beginbfrange")
            for chunk in block[1:]:
                for line in chunk.split("endbfrange")[0].splitlines():
                    parts = line.replace("<", " ").replace(">", " ").replace("[", " ").replace("]", " ").split()
                    if len(parts) == 3:
                        lo, hi, dst = (int(p, 16) for p in parts)
                        for k in range(lo, hi + 1):
                            cmap[k] = chr(dst + k - lo)
        fonts[name] = (first, widths, cmap)
    return fonts


LAND_W, LAND_H = 841.89, 595.28


def glyph_lines(page: PageObject, turned: bool = False) -> list[Line]:
    """Upright text lines of the page, top to bottom (text drawn under a rotation is left out).

    With ``turned``, the text drawn turned (the ledger) instead, in the landscape layout's coordinates.
    """
    fonts = _font_info(page)
    content = ContentStream(page.get_contents(), page.pdf)
    stack: list[tuple] = []
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    tc, font, size = 0.0, None, 0.0
    tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    lm = list(tm)
    leading = 0.0
    glyphs: list[tuple[float, float, float, str, float]] = []
    for operands, op in content.operations:
        if op == b"q":
            stack.append((ctm, tc, font, size))
        elif op == b"Q":
            ctm, tc, font, size = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif op == b"BT":
            tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            lm = list(tm)
        elif op == b"Tf":
            font, size = operands[0], float(operands[1])
        elif op == b"Tc":
            tc = float(operands[0])
        elif op == b"TL":
            leading = float(operands[0])
        elif op == b"Tm":
            tm = [float(x) for x in operands]
            lm = list(tm)
        elif op in (b"Td", b"TD"):
            tx, ty = float(operands[0]), float(operands[1])
            lm = [lm[0], lm[1], lm[2], lm[3], lm[4] + tx * lm[0] + ty * lm[2], lm[5] + tx * lm[1] + ty * lm[3]]
            tm = list(lm)
            if op == b"TD":
                leading = -ty
        elif op == b"T*":
            lm = [lm[0], lm[1], lm[2], lm[3], lm[4] - leading * lm[2], lm[5] - leading * lm[3]]
            tm = list(lm)
        elif op in (b"Tj", b"'"):
            if op == b"'":
                lm = [lm[0], lm[1], lm[2], lm[3], lm[4] - leading * lm[2], lm[5] - leading * lm[3]]
                tm = list(lm)
            first, widths, cmap = fonts[font]
            raw = operands[0]
            data = raw.get_original_bytes() if hasattr(raw, "get_original_bytes") else bytes(raw)
            for code in data:
                w = widths[code - first] / 1000 * size if 0 <= code - first < len(widths) else 0.0
                x = tm[4] * ctm[0] + tm[5] * ctm[2] + ctm[4]
                y = tm[4] * ctm[1] + tm[5] * ctm[3] + ctm[5]
                upright = abs(ctm[1]) < 1e-9 and abs(ctm[2]) < 1e-9
                if upright and not turned:
                    glyphs.append((round(y, 2), x, x + w, cmap.get(code, "?"), size))
                elif turned and not upright:
                    # odd pages are turned counter-clockwise (ctm b = 1), even pages clockwise
                    lx, ly = (y, LAND_H - x) if ctm[1] > 0 else (LAND_W - y, x)
                    glyphs.append((round(ly, 2), lx, lx + w, cmap.get(code, "?"), size))
                tm[4] += w + tc
    rows: dict[float, list] = {}
    for g in glyphs:
        rows.setdefault(g[0], []).append(g)
    out = []
    for y in sorted(rows, reverse=True):
        gs = sorted(rows[y], key=lambda g: g[1])
        while len(gs) > 1 and gs[-1][3] == " ":  # a trailing space has no ink
            gs.pop()
        out.append(Line(y=y, x0=gs[0][1], x1=gs[-1][2], text="".join(g[3] for g in gs), size=gs[0][4],
                        xs=tuple(g[1] for g in gs)))
    return out
