"""Font discovery, registration and per-character fallback for the report.

Four roles are used: ``body`` (仿宋), ``title`` (小标宋), ``hei`` (黑体) and ``kai`` (楷体).
With ``"auto"`` the official fonts are used when the machine has them; the bundled fonts
(AR PL SungtiL GB, AR PL KaitiM GB, WenQuanYi Micro Hei) fill every gap. Each role has a chain
of fonts; text is split into runs by the first font in the chain that has each glyph, and a
character that no font has is printed as :data:`MISSING_MARKER` and reported.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from core.resources import resource_path

ROLES = ("body", "title", "hei", "kai")
FONT_CHOICES = ("auto", "bundled")

#: Printed in place of a character that no font has (GB2312 A1FE, in every bundled font).
MISSING_MARKER = "〓"

#: File names of the official fonts, best first, compared case-insensitively.
OFFICIAL_FILES: dict[str, tuple[str, ...]] = {
    "body": ("仿宋_gb2312.ttf", "fangsong_gb2312.ttf", "fs_gb2312.ttf", "simfang.ttf", "fangsong.ttf"),
    "title": ("fzxbsjw.ttf", "fzxbsjw--gb1-0.ttf", "方正小标宋简体.ttf", "方正小标宋_gbk.ttf", "fzxbsk.ttf"),
    "hei": ("simhei.ttf", "黑体.ttf"),
    "kai": ("楷体_gb2312.ttf", "kaiti_gb2312.ttf", "simkai.ttf", "kaiti.ttf"),
}

_SONG = ("gbsn00lp.ttf", 0)
_KAI = ("gkai00mp.ttf", 0)
_HEI = ("wqy-microhei.ttc", 0)
#: Bundled font for each role; the last entry of every chain is the wide-coverage 黑 face.
BUNDLED: dict[str, tuple[str, int]] = {"body": _SONG, "title": _SONG, "hei": _HEI, "kai": _KAI}
BUNDLED_FALLBACK = _HEI


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
    """Where fonts are usually installed on Windows, macOS and Linux."""
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
                 Path.home() / ".local" / "share" / "fonts"]
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


def find_official_fonts(dirs: Sequence[Path] | None = None) -> dict[str, FontFile]:
    """Official fonts present in ``dirs`` (default: the system font folders), by role."""
    index = _index_dirs(default_font_dirs() if dirs is None else dirs)
    result: dict[str, FontFile] = {}
    for role, names in OFFICIAL_FILES.items():
        for name in names:
            if name in index:
                result[role] = FontFile(index[name], 0, official=True)
                break
    return result


_lock = threading.Lock()
_loaded: dict[tuple[str, int], LoadedFont | None] = {}


def load_font(file: FontFile) -> LoadedFont | None:
    """Register ``file`` with reportlab once; ``None`` if it is not a usable TrueType font."""
    key = (str(file.path), file.subfont_index)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        name = "TZ-" + hashlib.sha1(f"{key[0]}#{key[1]}".encode()).hexdigest()[:12]
        try:
            font = TTFont(name, str(file.path), subfontIndex=file.subfont_index)
        except Exception:
            _loaded[key] = None
            return None
        pdfmetrics.registerFont(font)
        loaded = LoadedFont(name, file, frozenset(font.face.charToGlyph))
        _loaded[key] = loaded
        return loaded


def _bundled(entry: tuple[str, int]) -> FontFile:
    return FontFile(resource_path("fonts", entry[0]), entry[1])


class FontSet:
    """The fonts chosen for one report: a fallback chain per role."""

    def __init__(self, chains: dict[str, tuple[LoadedFont, ...]]) -> None:
        self.chains = chains
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


@lru_cache(maxsize=8)
def _fontset(choice: str, dirs: tuple[Path, ...] | None) -> FontSet:
    official = find_official_fonts(list(dirs) if dirs is not None else None) if choice == "auto" else {}
    fallback = load_font(_bundled(BUNDLED_FALLBACK))
    if fallback is None:
        raise FontError(f"找不到内置字体文件：{_bundled(BUNDLED_FALLBACK).path}，请重新安装本程序。")
    chains: dict[str, tuple[LoadedFont, ...]] = {}
    for role in ROLES:
        chain: list[LoadedFont] = []
        candidates = [official[role]] if role in official else []
        candidates.append(_bundled(BUNDLED[role]))
        for file in candidates:
            loaded = load_font(file)
            if loaded is not None and loaded not in chain:
                chain.append(loaded)
        # Official fonts of the other roles help with glyphs before the 黑 fallback.
        for other in ROLES:
            if other != role and other in official:
                loaded = load_font(official[other])
                if loaded is not None and loaded not in chain:
                    chain.append(loaded)
        if fallback not in chain:
            chain.append(fallback)
        chains[role] = tuple(chain)
    return FontSet(chains)


def get_fontset(choice: str = "auto", font_dirs: Sequence[Path] | None = None) -> FontSet:
    """The font set for a setting: ``"auto"`` prefers installed official fonts, ``"bundled"`` never does.

    ``font_dirs`` replaces the system font folders (for tests and a user-chosen folder).
    """
    if choice not in FONT_CHOICES:
        raise ValueError(f"unknown font choice: {choice!r}")
    return _fontset(choice, tuple(font_dirs) if font_dirs is not None else None)
