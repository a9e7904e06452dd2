"""Font discovery, registration and per-character fallback for the report.

Four roles are used: ``body`` (仿宋), ``title`` (小标宋), ``hei`` (黑体) and ``kai`` (楷体).
With ``"auto"`` the official fonts are used when the machine has them; the bundled Fandol fonts
(converted to TrueType and xz-compressed, see resources/fonts/README.md) stand in for the missing
仿宋 (cut to GBK), 小标宋 and 楷体; rare name characters none of them has (玥 堃 喆 赟 镕 …) come from
a 宋体-like face (AR PL UMing, cut to the 通用规范汉字表 characters Fandol lacks) before any 黑体; and
WenQuanYi Micro Hei, which has all of GBK, is the 黑体 and ends every chain. The ``.xz`` fonts are
decompressed once into the user cache folder (checked by hash on every load), not on every run.
Text is split into runs by the first font in the chain that has each glyph; a character that
no font has is printed as :data:`MISSING_MARKER` and reported. The bundled Fandol 仿宋 carries the
serif digits and letters of FandolSong (its own are a sans design), so dates and page numbers print
in 宋体-style figures as GB/T 9704 asks.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

from core.atomic import WriteError, write_atomic
from core.report.font_faces import make_ttfont, parsed_face
from core.resources import resource_path

log = logging.getLogger(__name__)  # issue 24: a font that fails to load is logged, not hidden

ROLES = ("body", "title", "hei", "kai")
FONT_CHOICES = ("auto", "bundled")

#: Printed in place of a character that no font has (GB2312 A1FE, in every bundled font).
MISSING_MARKER = "〓"

#: File names of the official fonts, best first, compared case-insensitively: the Windows and
#: office names, the CESI fonts of UOS / Kylin (/usr/share/fonts/fonts-cesi/), then Founder's.
OFFICIAL_FILES: dict[str, tuple[str, ...]] = {
    "body": ("仿宋_gb2312.ttf", "fangsong_gb2312.ttf", "fs_gb2312.ttf", "cesi_fs_gb2312.ttf", "simfang.ttf",
             "fangsong.ttf", "仿宋.ttf", "cesi_fs_gb18030.ttf", "cesi_fs_gb13000.ttf", "fzfsk.ttf", "fzfsjw.ttf"),
    "title": ("fzxbsjw.ttf", "fzxbsjw--gb1-0.ttf", "方正小标宋简体.ttf", "方正小标宋_gbk.ttf", "fzxbsk.ttf",
              "cesi_xbs_gb2312.ttf", "cesi_xbs_gb18030.ttf", "cesi_xbs_gb13000.ttf"),
    "hei": ("simhei.ttf", "黑体.ttf", "cesi_ht_gb2312.ttf", "cesi_ht_gb18030.ttf", "cesi_ht_gb13000.ttf",
            "fzhtk.ttf", "fzhtjw.ttf"),
    "kai": ("楷体_gb2312.ttf", "kaiti_gb2312.ttf", "cesi_kt_gb2312.ttf", "simkai.ttf", "kaiti.ttf", "楷体.ttf",
            "cesi_kt_gb18030.ttf", "cesi_kt_gb13000.ttf", "fzktk.ttf", "fzktjw.ttf"),
}
#: How offices name the font of each role (for the notice).
OFFICIAL_NAMES = {"body": "仿宋_GB2312", "title": "方正小标宋简体", "hei": "黑体", "kai": "楷体_GB2312"}

#: Bundled font for each role (file under resources/fonts, subfont index).
#: The wide-coverage 黑 face: the 黑体 and the end of every chain (GBK and more: 堃 喆 赟 镕 …).
BUNDLED_FALLBACK = ("wqy-microhei.ttc", 0)
#: The 宋体-like face for rare characters, tried before any 黑体 in the 仿宋, 小标宋 and 楷体 chains.
BUNDLED_RARE = ("UMingCN-Rare.ttf.xz", 0)
#: sha256 of each bundled .xz font's unpacked bytes (written by tools/fonts/*.py): the cache key and check.
UNPACKED_SUMS = "UNPACKED.sha256"
BUNDLED: dict[str, tuple[str, int]] = {
    "body": ("FandolFang-Regular.ttf.xz", 0),
    "title": ("FandolSong-Bold.ttf.xz", 0),
    "hei": BUNDLED_FALLBACK,
    "kai": ("FandolKai-Regular.ttf.xz", 0),
}
#: Names of the bundled fonts as the notice gives them.
BUNDLED_NAMES = {"FandolFang-Regular.ttf.xz": "Fandol 仿宋", "FandolSong-Bold.ttf.xz": "Fandol 粗宋",
                 "FandolKai-Regular.ttf.xz": "Fandol 楷体", "wqy-microhei.ttc": "文泉驿微米黑",
                 "UMingCN-Rare.ttf.xz": "文鼎明体"}


class FontError(RuntimeError):
    """No usable font could be loaded; the message is in Chinese."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont_index: int = 0
    official: bool = False


@dataclass(frozen=True)
class LoadedFont:
    """A font registered with reportlab under ``name``, with the code points it covers."""

    name: str
    file: FontFile
    cmap: frozenset[int]


def default_font_dirs() -> list[Path]:
    """Where fonts are installed on Windows (system and per user), macOS and Linux (UOS and Kylin too)."""
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        data_home = os.environ.get("XDG_DATA_HOME")
        if data_home:
            dirs.append(Path(data_home) / "fonts")
        dirs += [Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts",
                 Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    return dirs


def _index_dirs(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-cased file name -> first path found, walking each folder recursively."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for f in files:
                found.setdefault(f.lower(), Path(root) / f)
    return found


def official_candidates(dirs: Sequence[Path] | None = None) -> dict[str, list[FontFile]]:
    """Official font files present in ``dirs`` (default: the system font folders), by role, best first."""
    index = _index_dirs(default_font_dirs() if dirs is None else dirs)
    return {role: [FontFile(index[n], 0, official=True) for n in names if n in index]
            for role, names in OFFICIAL_FILES.items()}


def find_official_fonts(dirs: Sequence[Path] | None = None) -> dict[str, FontFile]:
    """The best official font file present for each role (not yet checked to load)."""
    return {role: files[0] for role, files in official_candidates(dirs).items() if files}


_lock = threading.Lock()
_loaded: dict[tuple[str, int], LoadedFont | None] = {}


def font_cache_dir() -> Path:
    """Where decompressed bundled fonts are kept (rebuilt whenever missing or damaged)."""
    from core.paths import user_cache_dir

    return user_cache_dir() / "fonts"


def _faces_dir() -> Path | None:
    try:
        return font_cache_dir()
    except Exception:  # no usable home folder: parse every time
        return None


def _unpacked_sums(folder: Path) -> dict[str, str]:
    try:
        text = (folder / UNPACKED_SUMS).read_text(encoding="utf-8")
    except OSError:
        return {}
    sums = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            sums[parts[1]] = parts[0]
    return sums


def unpacked_bytes(path: Path, cache_dir: Path | None = None) -> bytes:
    """The plain font inside ``path`` (a ``.xz`` file); see :func:`_unpacked`."""
    return _unpacked(path, cache_dir)[0]


def _unpacked(path: Path, cache_dir: Path | None = None) -> tuple[bytes, str]:
    """The plain font inside ``path`` (a ``.xz`` file), from the cache when it holds a copy with the right hash.

    Decompressing a bundled font takes 0.2-0.9 s, reading the cached copy and hashing it a few ms. The cache
    entry is named by the sha256 of the unpacked font as listed beside the fonts (UNPACKED.sha256): a cached
    file that is damaged, cut short or from another version fails the hash and is written again, atomically.
    A font with no listed hash, or a cache folder that can't be written, is decompressed in memory.
    """
    expected = _unpacked_sums(path.parent).get(path.name)
    folder = _faces_dir() if cache_dir is None else cache_dir
    cached = folder / f"{path.name.removesuffix('.xz')}.{expected[:16]}" if expected and folder else None
    if cached is not None:
        try:
            data = cached.read_bytes()
        except OSError:
            data = b""
        if data and hashlib.sha256(data).hexdigest() == expected:
            return data, expected
    data = lzma.decompress(path.read_bytes())
    digest = hashlib.sha256(data).hexdigest()
    if cached is None:
        return data, digest
    if digest != expected:
        log.warning("bundled font %s does not match %s; not cached", path.name, UNPACKED_SUMS)
        return data, digest
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, data)
    except (OSError, WriteError) as exc:
        log.info("font cache not written (%s): %s", cached, exc)
    return data, digest


def load_font(file: FontFile) -> LoadedFont | None:
    """Register ``file`` with reportlab once; ``None`` if it is not a usable TrueType font.

    A ``.xz`` file is read from its decompressed copy in the user cache (see :func:`unpacked_bytes`), and
    reportlab's parse of every font is kept there too (core/report/font_faces.py).
    """
    key = (str(file.path), file.subfont_index)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        name = "TZ-" + hashlib.sha1(f"{key[0]}#{key[1]}".encode()).hexdigest()[:12]
        try:
            if file.path.suffix.lower() == ".xz":
                data, digest = _unpacked(file.path)
            else:
                data = file.path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
            font = make_ttfont(name, parsed_face(data, digest, file.subfont_index, _faces_dir()))
        except Exception:  # not a usable TrueType font: the next candidate is tried, the reason logged
            log.warning("字体无法载入，已跳过：%s", file.path, exc_info=True)
            _loaded[key] = None
            return None
        pdfmetrics.registerFont(font)
        loaded = LoadedFont(name, file, frozenset(font.face.charToGlyph))
        _loaded[key] = loaded
        return loaded


def _bundled(entry: tuple[str, int]) -> FontFile:
    return FontFile(resource_path("fonts", entry[0]), entry[1])


class FontSet:
    """The fonts chosen for one report: a fallback chain per role.

    ``substitutes`` lists (official name, stand-in name) for each role whose official font is missing.
    """

    def __init__(self, chains: dict[str, tuple[LoadedFont, ...]],
                 substitutes: tuple[tuple[str, str], ...] = ()) -> None:
        self.chains = chains
        self.substitutes = substitutes
        self._all = tuple({f.name: f for chain in chains.values() for f in chain}.values())
        self._covered: dict[str, bool] = {}
        self._chars: dict[str, frozenset[str]] = {}

    def _charset(self, font: LoadedFont) -> frozenset[str]:
        """The characters ``font`` has, as strings (for fast subset tests on whole texts)."""
        chars = self._chars.get(font.name)
        if chars is None:
            chars = self._chars[font.name] = frozenset(map(chr, font.cmap))
        return chars

    def primary(self, role: str) -> str:
        """The reportlab font name to use in a paragraph style for ``role``."""
        return self.chains[role][0].name

    @property
    def notice(self) -> str | None:
        """A plain sentence for the clerk when official fonts are missing, naming the stand-ins; else ``None``."""
        if not self.substitutes:
            return None
        missing = "、".join(dict.fromkeys(official for official, _ in self.substitutes))
        used = "、".join(dict.fromkeys(stand_in for _, stand_in in self.substitutes))
        return f"本机没有安装{missing}字体，报告改用程序自带的 {used} 代替；安装这些字体后重新生成即可。"

    def covered(self, ch: str) -> bool:
        """Whether any font of the set can print ``ch``."""
        known = self._covered.get(ch)
        if known is None:
            cp = ord(ch)
            known = self._covered[ch] = any(cp in f.cmap for f in self._all)
        return known

    def runs(self, text: str, role: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs; uncovered characters become the marker."""
        chain = self.chains[role]
        first = chain[0]
        if self._charset(first).issuperset(text):
            return [(first.name, text)] if text else []
        runs: list[tuple[str, str]] = []
        for ch in text:
            cp = ord(ch)
            font = next((f for f in chain if cp in f.cmap), None)
            if font is None:
                if ch.isspace():
                    ch, font = " ", first
                else:
                    ch = MISSING_MARKER
                    font = next(f for f in chain if ord(MISSING_MARKER) in f.cmap)
            if runs and runs[-1][0] == font.name:
                runs[-1] = (font.name, runs[-1][1] + ch)
            else:
                runs.append((font.name, ch))
        return runs

    def markup(self, text: str, role: str) -> str:
        """Paragraph markup for plain ``text``: escaped, with ``<font>`` tags where the style's font lacks a glyph."""
        primary = self.chains[role][0].name
        out = []
        for name, run in self.runs(text, role):
            if name == primary:
                out.append(escape(run))
            else:
                out.append(f'<font name="{name}">{escape(run)}</font>')
        return "".join(out)

    def missing(self, text: str) -> set[str]:
        """Characters of ``text`` that no font of the set can print (whitespace ignored)."""
        chars = set(text)
        if self._charset(self._all[0]).issuperset(chars):
            return set()
        return {c for c in chars if not c.isspace() and not self.covered(c)}

    def describe(self) -> dict[str, list[str]]:
        """Font files used per role, for logs and the report dialog."""
        return {role: [str(f.file.path) for f in chain] for role, chain in self.chains.items()}


def _first_loadable(files: Iterable[FontFile]) -> LoadedFont | None:
    for file in files:
        loaded = load_font(file)
        if loaded is not None:
            return loaded
    return None


@lru_cache(maxsize=8)
def _fontset(choice: str, found: tuple[tuple[str, tuple[Path, ...]], ...]) -> FontSet:
    candidates = {role: [FontFile(p, 0, official=True) for p in paths] for role, paths in found}
    official = {role: f for role in ROLES if (f := _first_loadable(candidates.get(role, ()))) is not None}
    fallback = load_font(_bundled(BUNDLED_FALLBACK))
    if fallback is None:
        raise FontError(f"找不到内置字体文件：{_bundled(BUNDLED_FALLBACK).path}，请重新安装本程序。")
    rare = load_font(_bundled(BUNDLED_RARE))
    chains: dict[str, tuple[LoadedFont, ...]] = {}
    substitutes: list[tuple[str, str]] = []
    for role in ROLES:
        chain: list[LoadedFont] = []
        if role in official:
            chain.append(official[role])
        bundled = load_font(_bundled(BUNDLED[role]))
        if bundled is not None and bundled not in chain:
            chain.append(bundled)
        # Official fonts of the other roles help with glyphs: the 宋/仿宋/楷 ones, then the rare characters'
        # 宋体-like face, then the 黑 ones (a 黑体 character inside 仿宋 text looks bold).
        for other in ("body", "title", "kai"):
            if other != role and other in official and official[other] not in chain:
                chain.append(official[other])
        if rare is not None and rare not in chain and role != "hei":
            chain.append(rare)
        if role != "hei" and "hei" in official and official["hei"] not in chain:
            chain.append(official["hei"])
        if fallback not in chain:
            chain.append(fallback)
        chains[role] = tuple(chain)
        if role not in official and choice == "auto":
            used = chain[0].file.path
            substitutes.append((OFFICIAL_NAMES[role], BUNDLED_NAMES.get(used.name, used.stem)))
    return FontSet(chains, tuple(substitutes))


def get_fontset(choice: str = "auto", font_dirs: Sequence[Path] | None = None) -> FontSet:
    """The font set for a setting: ``"auto"`` prefers installed official fonts, ``"bundled"`` never does.

    ``font_dirs`` replaces the system font folders (for tests and a user-chosen folder). The folders are
    looked through on every call (a few milliseconds), so fonts installed while the app runs are used.
    """
    if choice not in FONT_CHOICES:
        raise ValueError(f"unknown font choice: {choice!r}")
    found: tuple[tuple[str, tuple[Path, ...]], ...] = ()
    if choice == "auto":
        candidates = official_candidates(font_dirs)
        found = tuple((role, tuple(f.path for f in files)) for role, files in candidates.items() if files)
    return _fontset(choice, found)


def font_notice(choice: str = "auto", font_dirs: Sequence[Path] | None = None) -> str | None:
    """What to tell the clerk about the report's fonts: ``None`` when every official font was found, or when
    the bundled fonts were chosen on purpose (``"bundled"``); else one Chinese sentence naming the stand-ins."""
    return get_fontset(choice, font_dirs).notice
