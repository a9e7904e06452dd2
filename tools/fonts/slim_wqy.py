"""Make the bundled WenQuanYi Micro Hei without glyph names: 1 MB smaller, nothing drawn differently.

The Linux build is within a megabyte of its 150 MiB limit, and the report's fonts grew (FandolFang cut to GBK,
the rare-character 宋体 face). WenQuanYi Micro Hei's 'post' table carries a name for each of its 49,531 glyphs
(uni4E00 …), 1.08 MB that neither Qt nor reportlab reads: it is set to post format 3 (no names), in both
faces of the collection. Outlines, metrics, hinting, cmap and every other table are kept. Run by hand, once:

    apt-get download fonts-wqy-microhei && dpkg -x fonts-wqy-microhei_*.deb /tmp/wqy
    python tools/fonts/slim_wqy.py /tmp/wqy/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

The source is checked against tools/fonts/SHA256SUMS; the change and its date are noted in each face's name
table (ID 10; Apache-2.0 section 4b); the result is written to resources/fonts/wqy-microhei.ttc.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from convert_fandol import OUT_DIR, expected_sums, sha256  # noqa: E402

NOTE = ("Modified for the Taizhang app, {date}: glyph names dropped (post table format 3); nothing else changed. "
        "Source: WenQuanYi Micro Hei 0.2.0-beta, Debian fonts-wqy-microhei 0.2.0-beta-3.1.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="wqy-microhei.ttc from fonts-wqy-microhei")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--date", default=time.strftime("%Y-%m-%d"))
    args = parser.parse_args(argv)
    if expected_sums().get(args.source.name) != sha256(args.source):
        raise SystemExit(f"{args.source.name}: sha256 does not match {HERE / 'SHA256SUMS'}")
    collection = TTCollection(args.source)
    for font in collection.fonts:
        font["post"].formatType = 3.0
        font["name"].setName(NOTE.format(date=args.date), 10, 3, 1, 0x409)
    buf = io.BytesIO()
    collection.save(buf)
    out = args.out / "wqy-microhei.ttc"
    out.write_bytes(buf.getvalue())
    print(f"{out.name}: {len(buf.getvalue()):,} B (source {args.source.stat().st_size:,} B)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
