"""The report's fonts: the bundled Fandol set, the official fonts found on the PC, fallback and the notice."""

from __future__ import annotations

import importlib.util
import io
import lzma
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.report import ReportOptions, build_report
from core.report.fonts import (
    BUNDLED,
    BUNDLED_FALLBACK,
    BUNDLED_RARE,
    MISSING_MARKER,
    default_font_dirs,
    font_notice,
    get_fontset,
)
from core.resources import resource_path
from tests.report_fixtures import OFFICE, RARE, REPORT_DATE, real_plan, town_progress, town_roles, town_texts

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_FILES = sorted({name for name, _ in (*BUNDLED.values(), BUNDLED_FALLBACK, BUNDLED_RARE)})
FANDOL_FILES = [name for name in BUNDLED_FILES if name.startswith("Fandol")]


def _convert_script():
    """tools/fonts/convert_fandol.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("convert_fandol", ROOT / "tools" / "fonts" / "convert_fandol.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def truetype_copy(bundled: str, dest: Path) -> Path:
    """A plain .ttf made from a bundled font, standing in for an installed official font."""
    data = resource_path("fonts", bundled).read_bytes()
    dest.write_bytes(lzma.decompress(data) if bundled.endswith(".xz") else data)
    return dest


def gb2312_hanzi() -> str:
    """The 6,763 hanzi of GB2312 (rows 16-87), decoded by Python's own codec."""
    return "".join(bytes((row, cell)).decode("gb2312", errors="ignore")
                   for row in range(0xB0, 0xF8) for cell in range(0xA1, 0xFF))


def test_bundled_fonts_are_truetype_with_licences() -> None:
    for name in BUNDLED_FILES:
        data = resource_path("fonts", name).read_bytes()
        head = (lzma.decompress(data) if name.endswith(".xz") else data)[:4]
        assert head in (b"\x00\x01\x00\x00", b"ttcf"), name  # glyf outlines, never 'OTTO' (CFF)
    licences = resource_path("fonts", "LICENSES")
    copying = (licences / "Fandol-COPYING.txt").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in copying and "As a special exception, if you create a document" in copying
    assert (licences / "fonts-wqy-microhei.copyright").is_file()
    readme = resource_path("fonts", "README.md").read_text(encoding="utf-8")
    for name in BUNDLED_FILES:
        assert name in readme


def test_bundled_set_uses_the_fandol_faces() -> None:
    fonts = get_fontset("bundled")
    assert {role: fonts.chains[role][0].file.path.name for role in BUNDLED} == {
        "body": "FandolFang-Regular.ttf.xz", "title": "FandolSong-Bold.ttf.xz",
        "hei": "wqy-microhei.ttc", "kai": "FandolKai-Regular.ttf.xz"}
    assert all(chain[-1].file.path.name == "wqy-microhei.ttc" for chain in fonts.chains.values())
    assert fonts.notice is None  # chosen on purpose: nothing to tell


@pytest.mark.parametrize("role", sorted(BUNDLED))
def test_every_bundled_face_has_all_gb2312_hanzi(role: str) -> None:
    fonts = get_fontset("bundled")
    cmap = fonts.chains[role][0].cmap
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    assert [c for c in hanzi if ord(c) not in cmap] == []
    assert ord(MISSING_MARKER) in cmap


RARE_NAMES = "玥曌镕犇焜垚祎昇琇堃喆旻赟"


def test_rare_name_characters_print_in_a_song_face_not_in_hei() -> None:
    fonts = get_fontset("bundled")
    rare_face = next(f for f in fonts.chains["body"] if f.file.path.name == BUNDLED_RARE[0])
    for role in ("body", "title", "kai"):
        chain = [f.file.path.name for f in fonts.chains[role]]
        assert chain.index(BUNDLED_RARE[0]) < chain.index("wqy-microhei.ttc")
        runs = fonts.runs("王" + "王".join(RARE_NAMES), role)
        assert [t for _, t in runs] == [c for ch in RARE_NAMES for c in ("王", ch)]
        assert {name for name, _ in runs[1::2]} == {rare_face.name}  # AR PL UMing, a 明体/宋体
        assert {name for name, _ in runs[0::2]} == {fonts.primary(role)}
    assert fonts.runs("王堃", "hei") == [(fonts.primary("hei"), "王堃")]  # the 黑体 is the fallback itself
    assert fonts.missing("王堃陈喆周赟黄镕") == set()
    # GBK characters beyond the 宋体 face's cut (a traditional form it was not cut for) still print, in 黑体.
    assert fonts.runs("鷥", "body") == [(fonts.chains["body"][-1].name, "鷥")]


def test_body_font_is_cut_to_gbk() -> None:
    fonts = get_fontset("bundled")
    body = fonts.chains["body"][0]
    assert body.file.path.name == "FandolFang-Regular.ttf.xz"
    convert = _convert_script()
    gbk = set(convert.gbk_codepoints())
    assert len(gbk) > 21000
    # Fandol's GBK characters beyond GB2312 (traditional forms): 們 國 now print in the body's 仿宋.
    assert {ord("們"), ord("國")} <= body.cmap and body.cmap - gbk <= {0x20, 0xA0, 0xFFFF}
    assert len(body.cmap - set(convert.gb2312_codepoints())) > 1000
    assert fonts.runs("我們的國", "body") == [(body.name, "我們的國")]
    assert "".join(t for _, t in fonts.runs("\U0002a700字", "body")) == MISSING_MARKER + "字"


def test_fandol_fangsong_has_serif_digits_and_letters() -> None:
    from fontTools.ttLib import TTFont  # a build-time tool (requirements-dev.txt), not needed to run the app

    font = TTFont(io.BytesIO(lzma.decompress(resource_path("fonts", "FandolFang-Regular.ttf.xz").read_bytes())))
    cmap, glyf, hmtx = font.getBestCmap(), font["glyf"], font["hmtx"]
    # FandolSong's serif figures: its 1 and 4 stand 666 and 677 units high, FandolFang's own sans ones 655 and 657.
    assert [glyf[cmap[ord(d)]].yMax for d in "14"] == [666, 677]
    assert [hmtx[cmap[ord(d)]][0] for d in "0123456789"] == [500] * 10  # half-width figures
    fonts = get_fontset("bundled")
    assert fonts.runs("截至2019年12月4日", "body") == [(fonts.primary("body"), "截至2019年12月4日")]
    assert fonts.runs("— 12 —", "body") == [(fonts.primary("body"), "— 12 —")]


def test_auto_picks_an_official_fangsong_from_the_given_folder(tmp_path: Path) -> None:
    # A stand-in "official" 仿宋: a bundled TrueType file under the Windows name, in a nested folder.
    (tmp_path / "Microsoft" / "Windows" / "Fonts").mkdir(parents=True)
    fake = truetype_copy("FandolKai-Regular.ttf.xz", tmp_path / "Microsoft" / "Windows" / "Fonts" / "simfang.ttf")
    fonts = get_fontset("auto", [tmp_path])
    body = fonts.chains["body"]
    assert body[0].file.path == fake and body[0].file.official
    assert body[1].file.path.name == "FandolFang-Regular.ttf.xz" and body[-1].file.path.name == "wqy-microhei.ttc"
    assert fonts.runs("2019年", "body") == [(body[0].name, "2019年")]
    assert fonts.chains["title"][0].file.path.name == "FandolSong-Bold.ttf.xz"
    notice = fonts.notice
    assert notice is not None and "仿宋" not in notice
    assert "方正小标宋简体" in notice and "Fandol 粗宋" in notice
    assert get_fontset("bundled", [tmp_path]).chains["body"][0].file.path.name == "FandolFang-Regular.ttf.xz"


def test_broken_official_file_is_skipped_for_the_next_one(tmp_path: Path) -> None:
    (tmp_path / "simhei.ttf").write_bytes(b"not a font")
    (tmp_path / "fonts-cesi").mkdir()
    cesi = truetype_copy("FandolSong-Bold.ttf.xz", tmp_path / "fonts-cesi" / "CESI_HT_GB2312.TTF")
    fonts = get_fontset("auto", [tmp_path])
    assert fonts.chains["hei"][0].file.path == cesi
    assert "黑体" not in (fonts.notice or "") and "文泉驿微米黑" not in (fonts.notice or "")


def test_notice_names_every_missing_font_and_its_stand_in(tmp_path: Path) -> None:
    notice = font_notice("auto", [tmp_path])  # an empty folder: no official font at all
    assert notice == ("本机没有安装仿宋_GB2312、方正小标宋简体、黑体、楷体_GB2312字体，报告改用程序自带的 "
                      "Fandol 仿宋、Fandol 粗宋、文泉驿微米黑、Fandol 楷体 代替；安装这些字体后重新生成即可。")
    assert font_notice("bundled", [tmp_path]) is None
    for name in ("仿宋_GB2312.ttf", "FZXBSJW.TTF", "simhei.ttf", "simkai.ttf"):
        truetype_copy("FandolSong-Bold.ttf.xz", tmp_path / name)
    assert font_notice("auto", [tmp_path]) is None


def test_default_font_dirs_cover_windows_user_fonts_and_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", r"C:\Windows")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\clerk\AppData\Local")
    dirs = [str(d) for d in default_font_dirs()]
    assert str(Path(r"C:\Windows") / "Fonts") in dirs
    assert str(Path(r"C:\Users\clerk\AppData\Local") / "Microsoft" / "Windows" / "Fonts") in dirs
    monkeypatch.setattr(sys, "platform", "linux")
    assert Path("/usr/share/fonts") in default_font_dirs()  # UOS/Kylin CESI fonts live in fonts-cesi/ below it


def test_report_pdf_embeds_the_fandol_truetype_faces() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    options = ReportOptions(office=OFFICE, report_date=REPORT_DATE, include_ledger=False, font_choice="bundled")
    reader = PdfReader(io.BytesIO(build_report(plan, roles, town_progress(plan, roles), town_texts(), options)))
    embedded: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            embedded[str(font["/BaseFont"]).split("+")[-1]] = "/FontFile2" in descriptor
    assert all(embedded.values()), embedded
    # the fixtures' rare name characters come from the 宋体-like UMing cut
    assert set(embedded) == {"FandolFang-Regular", "FandolSong-Bold", "FandolKai-Regular", "WenQuanYiMicroHei-0",
                             "UMingCN"}
    text = "".join(page.extract_text() for page in reader.pages)
    for ch in RARE:
        assert ch in text
    assert MISSING_MARKER not in text


def test_converted_fonts_match_their_recorded_sources() -> None:
    convert = _convert_script()
    sums = convert.expected_sums()
    assert {f"{stem}.otf" for stem in convert.FONTS} | {"FandolSong-Regular.otf"} <= set(sums)
    assert all(len(digest) == 64 for digest in sums.values())
    assert sorted(out for out, _ in convert.FONTS.values()) == FANDOL_FILES
    assert convert.CHARSETS == {"FandolFang-Regular": "GBK", "FandolKai-Regular": "GB2312",
                                "FandolSong-Bold": "GB2312"}
    # the rare-character face's sources are recorded too
    assert {"uming.ttc", "Unihan_OtherMappings.txt.bz2"} <= set(sums)
    assert [chr(cp) for cp in convert.gb2312_hanzi()] == list(gb2312_hanzi())
    points = convert.gb2312_codepoints()
    assert len(points) == 7575  # GB2312's 7,445 characters, 35 more in their GBK mapping (— ·), printable ASCII
    assert {0x2014, 0x2015, 0x00B7, 0x30FB, ord("A")} <= set(points)
    assert convert.FONTS["FandolFang-Regular"][1] == "FandolSong-Regular"  # the serif digits' source is checked too


def test_converted_fonts_say_they_were_modified() -> None:
    from fontTools.ttLib import TTFont  # a build-time tool (requirements-dev.txt), not needed to run the app

    assert len(FANDOL_FILES) == 3
    for name in FANDOL_FILES:
        font = TTFont(io.BytesIO(lzma.decompress(resource_path("fonts", name).read_bytes())))
        note = font["name"].getDebugName(10)
        assert note is not None and note.startswith("Modified for the Taizhang app"), name
        assert "glyf" in font and "CFF " not in font


def test_rare_face_says_it_was_modified_and_has_its_licence() -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(lzma.decompress(resource_path("fonts", BUNDLED_RARE[0]).read_bytes())))
    note = font["name"].getDebugName(10)
    assert note is not None and note.startswith("Modified for the Taizhang app") and "AR PL UMing" in note
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in RARE_NAMES)
    assert 1000 < len(cmap) < 1300  # only the 通用规范汉字表 characters FandolFang lacks
    licence = resource_path("fonts", "LICENSES", "ARPHIC-PUBLIC-LICENSE.txt").read_text(encoding="utf-8")
    assert "ARPHIC PUBLIC LICENSE" in licence


# ---- the decompressed-font cache ----------------------------------------------------------------------------

def test_unpacked_font_is_cached_by_hash_and_a_damaged_copy_is_rebuilt(tmp_path: Path) -> None:
    import hashlib

    from core.report.fonts import UNPACKED_SUMS, unpacked_bytes

    packed = resource_path("fonts", "FandolKai-Regular.ttf.xz")
    expected = next(line.split()[0] for line in resource_path("fonts", UNPACKED_SUMS).read_text().splitlines()
                    if line.endswith(packed.name))
    data = unpacked_bytes(packed, tmp_path)
    assert hashlib.sha256(data).hexdigest() == expected
    cached = tmp_path / f"FandolKai-Regular.ttf.{expected[:16]}"
    assert cached.read_bytes() == data  # written on first use
    assert [p.name for p in tmp_path.iterdir()] == [cached.name]  # no temporary file left behind
    # A damaged copy (cut short by a crash, a flipped byte) is detected by its hash and written again.
    cached.write_bytes(data[:1000])
    assert unpacked_bytes(packed, tmp_path) == data
    assert cached.read_bytes() == data
    flipped = bytearray(data)
    flipped[5000] ^= 0xFF
    cached.write_bytes(bytes(flipped))
    assert unpacked_bytes(packed, tmp_path) == data and cached.read_bytes() == data


def test_cached_copy_is_read_instead_of_decompressing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.report import fonts as fonts_module

    packed = resource_path("fonts", "FandolSong-Bold.ttf.xz")
    data = fonts_module.unpacked_bytes(packed, tmp_path)

    def no_lzma(_data: bytes) -> bytes:
        raise AssertionError("decompressed although the cache holds a good copy")

    monkeypatch.setattr(fonts_module.lzma, "decompress", no_lzma)
    assert fonts_module.unpacked_bytes(packed, tmp_path) == data


def test_unwritable_cache_still_gives_the_font(tmp_path: Path) -> None:
    from core.report.fonts import unpacked_bytes

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    data = unpacked_bytes(resource_path("fonts", BUNDLED_RARE[0]), blocker / "fonts")
    assert data[:4] == b"\x00\x01\x00\x00"


def test_parsed_faces_are_kept_and_equal_a_fresh_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    from core.report import font_faces

    data = resource_path("fonts", "wqy-microhei.ttc").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    first = font_faces.parsed_face(data, digest, 0, tmp_path)
    (entry,) = tmp_path.iterdir()
    fresh = RLFont("fresh", io.BytesIO(data))

    def no_parse(*_args, **_kwargs):
        raise AssertionError("parsed although the cache holds the face")

    monkeypatch.setattr(font_faces, "_parse", no_parse)
    cached = font_faces.make_ttfont("cached", font_faces.parsed_face(data, digest, 0, tmp_path))
    skip = ("_pdfScale",)
    assert {k: v for k, v in vars(cached.face).items() if k not in skip} == {
        k: v for k, v in vars(fresh.face).items() if k not in skip}
    assert vars(first).keys() == vars(cached.face).keys()
    assert cached.face._pdfScale(500) == fresh.face._pdfScale(500)
    assert sorted(vars(cached)) == sorted(vars(fresh))
    assert cached.stringWidth("王堃2019", 16) == fresh.stringWidth("王堃2019", 16)
    # A damaged entry is not used: the font is parsed again and the entry rewritten.
    monkeypatch.undo()
    entry.write_bytes(entry.read_bytes()[:-10] + b"0123456789")
    again = font_faces.parsed_face(data, digest, 0, tmp_path)
    assert again.charToGlyph == fresh.face.charToGlyph
    assert font_faces._read(entry) is not None  # rewritten whole


def test_a_report_embeds_fonts_read_through_the_caches() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    options = ReportOptions(office=OFFICE, report_date=REPORT_DATE, include_ledger=True, font_choice="bundled")
    data = build_report(plan, roles, town_progress(plan, roles), town_texts(), options)
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "悦城镇" in text and MISSING_MARKER not in text


def test_wenquanyi_keeps_its_faces_without_glyph_names() -> None:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(resource_path("fonts", "wqy-microhei.ttc")))
    assert [f["name"].getDebugName(4) for f in collection.fonts] == ["WenQuanYi Micro Hei", "WenQuanYi Micro Hei Mono"]
    for font in collection.fonts:
        assert font["post"].formatType == 3.0
        assert font["name"].getDebugName(10).startswith("Modified for the Taizhang app")
        assert len(font.getBestCmap()) >= 34599 and len(font.getGlyphOrder()) == 49531
    assert resource_path("fonts", "wqy-microhei.ttc").stat().st_size < 4_200_000  # was 5,177,387 B


def test_no_cache_folder_at_all_still_gives_the_font(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.report import fonts as fonts_module

    def no_home() -> Path:
        raise RuntimeError("no home folder")

    monkeypatch.setattr(fonts_module, "font_cache_dir", no_home)
    data = fonts_module.unpacked_bytes(resource_path("fonts", BUNDLED_RARE[0]))
    assert data[:4] == b"\x00\x01\x00\x00"
