"""Make the bundled Fandol fonts: cut to GBK or GB2312, CFF outlines -> TrueType (glyf) outlines, xz-compressed.

reportlab embeds TrueType outlines only, and the Fandol fonts ship as CFF .otf files in Debian's
texlive-lang-chinese. This is run by hand, once per new source, never at build or run time:

    apt-get download texlive-lang-chinese && dpkg -x texlive-lang-chinese_*.deb /tmp/tl
    python tools/fonts/convert_fandol.py /tmp/tl/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol

It checks each source file against tools/fonts/SHA256SUMS; cuts the font to the characters of GBK
(FandolFang, the body font) or GB2312 (the title and 楷体 fonts), keeping every layout feature and name,
as pyftsubset would; converts the cubic outlines to quadratic ones with Cu2QuPen -> TTGlyphPen (max
error 1 unit of 1000); gives FandolFang the serif digits and Latin letters of FandolSong Regular; records
the modification in the name table (GPL-3 section 5a); checks that all 6,763 GB2312 hanzi are present;
writes resources/fonts/<name>.ttf.xz and the sha256 of its unpacked bytes into
resources/fonts/UNPACKED.sha256 (core/report/fonts.py decompresses each font once into the user cache
and checks the copy against that hash). Needs fonttools (requirements-dev.txt).

Why GBK for the body only: the 1,179 GBK hanzi Fandol has beyond GB2312 are mostly traditional forms
(們 國 …) that a name or a quoted title may still carry; the body sets them in 仿宋 at the cost of ~20 %
more file. Titles and 楷体 headings keep GB2312. The rare name characters (玥 堃 喆 赟 镕 …) are in no
Fandol font at all: tools/fonts/cut_uming.py makes the 宋体-like face they fall back to before the 黑体.
Why xz: it halves the files, so the build keeps its size (resources/ is shipped whole), and Qt's
screen-font registration (gui/fonts.py, *.ttf only) leaves these print-only fonts alone.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import lzma
import sys
import time
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT_DIR = ROOT / "resources" / "fonts"
SUMS = HERE / "SHA256SUMS"

#: Source .otf stem -> (output file, source of its printable ASCII glyphs or None). FandolFang's own
#: digits and letters are a sans design; it gets FandolSong Regular's serif ones (same 1000-unit em,
#: digits 500 wide in both), so dates and page numbers read as in a 仿宋_GB2312 document.
#: (FandolHei is left out: WenQuanYi Micro Hei, bundled anyway for its GBK coverage, is the 黑体.)
FONTS = {
    "FandolFang-Regular": ("FandolFang-Regular.ttf.xz", "FandolSong-Regular"),
    "FandolKai-Regular": ("FandolKai-Regular.ttf.xz", None),
    "FandolSong-Bold": ("FandolSong-Bold.ttf.xz", None),
}
#: The character set each font is cut to: the body font to GBK, the others to GB2312.
CHARSETS = {"FandolFang-Regular": "GBK", "FandolKai-Regular": "GB2312", "FandolSong-Bold": "GB2312"}
#: Maximum distance between a cubic curve and its quadratic approximation, in font units (1000/em).
MAX_ERR = 1.0
MODIFIED = ("Modified for the Taizhang app, {date}: outlines converted from CFF to TrueType with fontTools "
            "cu2qu, character set cut to {charset}.{latin} Source: Fandol {version}, Debian texlive-lang-chinese.")
LATIN_NOTE = (" Printable ASCII glyphs (U+0021-U+007E) replaced by those of FandolSong Regular;"
              " space 500 units wide.")


def gb2312_codepoints() -> list[int]:
    """Printable ASCII and the characters of GB2312's byte codes, under both the GB2312 and the GBK mapping.

    The two differ for a few codes: A1AA is ― U+2015 in Python's gb2312 codec but — U+2014 (the dash of
    ——, "— 1 —") in gbk; A1A4 is ・ U+30FB or · U+00B7. Keeping both keeps the forms people actually type.
    """
    points = set(range(0x20, 0x7F))
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            for codec in ("gb2312", "gbk"):
                text = bytes((row, cell)).decode(codec, errors="ignore")
                points.update(map(ord, text))
    return sorted(points)


def gbk_codepoints() -> list[int]:
    """Printable ASCII, GB2312 (both mappings, as above) and every other character of GBK's double-byte codes."""
    points = set(gb2312_codepoints())
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            points.update(map(ord, bytes((lead, trail)).decode("gbk", errors="ignore")))
    return sorted(points)


def charset_codepoints(charset: str) -> list[int]:
    return gbk_codepoints() if charset == "GBK" else gb2312_codepoints()


def ascii_codepoints() -> list[int]:
    """Printable ASCII without the space."""
    return list(range(0x21, 0x7F))


def gb2312_hanzi() -> list[int]:
    """The 6,763 hanzi of GB2312 (rows 16-87)."""
    points = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                points.append(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return points


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_unpacked(out: Path, unpacked: bytes) -> None:
    """Write the sha256 of ``out``'s unpacked bytes into UNPACKED.sha256 beside it (other lines kept)."""
    sums_file = out.parent / "UNPACKED.sha256"
    lines = sums_file.read_text(encoding="utf-8").splitlines() if sums_file.exists() else []
    header = "# sha256 of each .ttf.xz font's unpacked bytes: the key and check of the decompressed-font cache"
    kept = [x for x in lines if x.strip() and not x.startswith("#") and x.split()[-1] != out.name]
    kept.append(f"{hashlib.sha256(unpacked).hexdigest()}  {out.name}")
    sums_file.write_text("\n".join([header, *sorted(kept, key=lambda x: x.split()[-1])]) + "\n", encoding="utf-8")


def expected_sums() -> dict[str, str]:
    sums = {}
    for line in SUMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split()
            sums[name] = digest
    return sums


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF table with glyf/loca, in place (the fontTools otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    # A TrueType renderer may place the outline by the hmtx left side bearing; make it the outline's own
    # xMin, as drawn in the CFF (some Fandol lsb values are off by up to 32 units, e.g. 〇).
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        glyph.recalcBounds(glyf)
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0) if glyph.numberOfContours else 0)
    for tag in ("CFF ", "VORG"):  # VORG belongs to CFF fonts; vmtx/vhea keep the vertical metrics
        if tag in font:
            del font[tag]
    maxp = font["maxp"]  # version 1.0 for glyf fonts; the point and contour counts are recomputed on save
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names (CID fonts have only cidNNNNN names)
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def cut(font: TTFont, unicodes: list[int]) -> None:
    """Keep ``unicodes``, all layout features and all names (as pyftsubset would with the flags below).

    pyftsubset --unicodes-file=gb2312.txt --layout-features='*' --name-IDs='*' --name-languages='*' --notdef-outline
    """
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.notdef_glyph = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def take_ascii(font: TTFont, donor: TTFont) -> None:
    """Give ``font`` the printable ASCII glyphs and advance widths of ``donor`` (both already glyf), and a
    half-width (500) space as GB2312 fonts have, so that "— 1 —" is spaced as in 仿宋_GB2312."""
    cmap, donor_cmap = font.getBestCmap(), donor.getBestCmap()
    glyf, donor_glyf = font["glyf"], donor["glyf"]
    hmtx, donor_hmtx = font["hmtx"], donor["hmtx"]
    for cp in ascii_codepoints():
        name, donor_name = cmap[cp], donor_cmap[cp]
        glyph = copy.deepcopy(donor_glyf[donor_name])
        glyf[name] = glyph
        hmtx[name] = donor_hmtx[donor_name]
    hmtx[cmap[0x20]] = (500, 0)


def mark_modified(font: TTFont, date: str, latin: bool, charset: str = "GB2312") -> None:
    """A prominent notice of the change, with its date, in the font itself (GPL-3 section 5a)."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    note = MODIFIED.format(date=date, version=version.split(";")[0], latin=LATIN_NOTE if latin else "",
                           charset=charset)
    name.setName(note, 10, 3, 1, 0x409)  # description
    name.setName(f"{version}; {note}", 5, 3, 1, 0x409)


def check(path: Path, charset: str = "GB2312") -> str:
    """What the written file covers; fails on TrueType trouble or a missing GB2312 hanzi."""
    font = TTFont(io.BytesIO(lzma.decompress(path.read_bytes())))
    if "glyf" not in font or "CFF " in font or font.sfntVersion != "\x00\x01\x00\x00":
        raise SystemExit(f"{path.name}: not a TrueType-outline font")
    cmap = font.getBestCmap()
    missing = [chr(cp) for cp in [*gb2312_hanzi(), 0x2014, *range(0x21, 0x7F)] if cp not in cmap]
    if missing:
        raise SystemExit(f"{path.name}: {len(missing)} GB2312 hanzi, dashes or ASCII missing: {''.join(missing[:40])}")
    points = charset_codepoints(charset)
    present = sum(1 for cp in points if cp in cmap)
    return f"all {len(gb2312_hanzi()):,} GB2312 hanzi, {present:,} of {len(points):,} {charset} characters"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with the Fandol .otf files")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--date", default=time.strftime("%Y-%m-%d"), help="date written into the modification note")
    parser.add_argument("--only", choices=sorted(FONTS), help="make just this font")
    args = parser.parse_args(argv)
    sums = expected_sums()

    def source(stem: str) -> TTFont:
        src = args.source / f"{stem}.otf"
        digest = sha256(src)
        if sums.get(src.name) != digest:
            raise SystemExit(f"{src.name}: sha256 {digest} does not match {SUMS.name}")
        return TTFont(src)

    for stem, (out_name, latin_from) in FONTS.items():
        if args.only and stem != args.only:
            continue
        start = time.perf_counter()
        font = source(stem)
        charset = CHARSETS[stem]
        cut(font, charset_codepoints(charset))
        cff_to_glyf(font)
        if latin_from:
            donor = source(latin_from)
            cut(donor, ascii_codepoints())
            cff_to_glyf(donor)
            take_ascii(font, donor)
        mark_modified(font, args.date, bool(latin_from), charset)
        buf = io.BytesIO()
        font.save(buf)
        out = args.out / out_name
        out.write_bytes(lzma.compress(buf.getvalue(), preset=9 | lzma.PRESET_EXTREME))
        record_unpacked(out, buf.getvalue())
        covers = check(out, charset)
        print(f"{out.name}: {out.stat().st_size:,} B ({len(buf.getvalue()):,} B unpacked), {covers}, "
              f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
