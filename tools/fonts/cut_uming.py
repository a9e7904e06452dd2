"""Make the bundled 宋体-like face for rare characters: AR PL UMing CN, cut to what the body font lacks.

The rare characters of names (玥 曌 镕 犇 焜 垚 祎 昇 琇 堃 喆 旻 赟 …) are in no Fandol font. Without this
face they print in WenQuanYi Micro Hei, a bold-looking 黑体 in the middle of 仿宋 text. AR PL UMing is a 明体
(宋体) with TrueType outlines that has them. Run by hand, once per new source, never at build or run time:

    apt-get download fonts-arphic-uming unicode-data
    dpkg -x fonts-arphic-uming_*.deb /tmp/um && dpkg -x unicode-data_*.deb /tmp/ud
    python tools/fonts/cut_uming.py /tmp/um/usr/share/fonts/truetype/arphic/uming.ttc \\
        /tmp/ud/usr/share/unicode/Unihan_OtherMappings.txt.bz2

The cut keeps the characters of the 通用规范汉字表 (2013; the Unihan field kTGH lists its 8,105 characters,
among them every character a newly registered name may use) that the bundled FandolFang lacks, and drops
hinting, bitmaps and layout features (a fallback face sets single characters). The whole GBK beyond Fandol
would be 2.9 MB compressed, more than the build can carry under its size limit; the rest of GBK (mostly
traditional forms) falls back to the 黑体. The sources are checked against tools/fonts/SHA256SUMS, the
modification is noted in the name table (Arphic Public License section 2a), and the result is written
xz-compressed to resources/fonts/UMingCN-Rare.ttf.xz. Needs fonttools (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import bz2
import io
import lzma
import sys
import time
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from convert_fandol import OUT_DIR, expected_sums, record_unpacked, sha256  # noqa: E402

OUT_NAME = "UMingCN-Rare.ttf.xz"
BODY_FONT = "FandolFang-Regular.ttf.xz"
NOTE = ("Modified for the Taizhang app, {date}: character set cut to the characters of the Table of General "
        "Standard Chinese Characters (2013) that FandolFang lacks; hinting, bitmaps and layout tables dropped. "
        "Source: AR PL UMing CN {version}, Debian fonts-arphic-uming.")


def standard_chars(unihan_other_mappings: Path) -> set[int]:
    """The 8,105 characters of the 通用规范汉字表 (Unihan kTGH)."""
    points = set()
    with bz2.open(unihan_other_mappings, "rt", encoding="utf-8") as f:
        for line in f:
            fields = line.split("\t")
            if len(fields) >= 2 and fields[1] == "kTGH":
                points.add(int(fields[0][2:], 16))
    return points


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("uming", type=Path, help="uming.ttc from fonts-arphic-uming")
    parser.add_argument("unihan", type=Path, help="Unihan_OtherMappings.txt.bz2 from unicode-data")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--date", default=time.strftime("%Y-%m-%d"))
    args = parser.parse_args(argv)
    sums = expected_sums()
    for src in (args.uming, args.unihan):
        if sums.get(src.name) != sha256(src):
            raise SystemExit(f"{src.name}: sha256 does not match {HERE / 'SHA256SUMS'}")
    body = TTFont(io.BytesIO(lzma.decompress((args.out / BODY_FONT).read_bytes())), lazy=True)
    have = set(body.getBestCmap())
    font = TTFont(args.uming, fontNumber=0)  # subfont 0: AR PL UMing CN
    wanted = sorted((standard_chars(args.unihan) - have) & set(font.getBestCmap()))
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.notdef_glyph = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["EBDT", "EBLC", "EBSC", "BDF", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    name = font["name"]
    version = (name.getDebugName(5) or "").split(";")[0]
    note = NOTE.format(date=args.date, version=version)
    name.setName(note, 10, 3, 1, 0x409)
    name.setName(f"{version}; {note}", 5, 3, 1, 0x409)
    buf = io.BytesIO()
    font.save(buf)
    out = args.out / OUT_NAME
    out.write_bytes(lzma.compress(buf.getvalue(), preset=9 | lzma.PRESET_EXTREME))
    record_unpacked(out, buf.getvalue())
    print(f"{out.name}: {out.stat().st_size:,} B ({len(buf.getvalue()):,} B unpacked), {len(wanted):,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
