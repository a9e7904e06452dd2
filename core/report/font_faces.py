"""reportlab TrueType faces, parsed once and kept in the user cache folder.

Parsing a CJK font in reportlab (every glyph's width, the whole cmap, in Python) takes 0.05-0.3 s a font;
WenQuanYi Micro Hei alone, 34,600 characters, is 0.2-0.3 s. A report uses four or five fonts, so parsing
was a third of the first report's time. The parsed tables are plain dicts and lists: they are kept with
``marshal`` (which restores data, never runs code), under the sha256 of the font's bytes and the reportlab
version, with a sha256 of the entry itself; an entry that is damaged or from another version is parsed and
written again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import marshal
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from core.atomic import WriteError, write_atomic

log = logging.getLogger(__name__)

#: Attributes not kept: the font's bytes (the caller has them) and the scale function (rebuilt from unitsPerEm).
_NOT_KEPT = ("_ttf_data", "_pdfScale")


def _scale(units_per_em: int) -> Any:
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _state(face: TTFontFace) -> dict[str, Any]:
    state: dict[str, Any] = {}
    names: list[str] = []
    for key, value in vars(face).items():
        if key in _NOT_KEPT:
            continue
        if isinstance(value, TTFNameBytes):
            names.append(key)
            value = bytes(value)
        state[key] = value
    state["__names__"] = names
    return state


def _face(state: dict[str, Any], data: bytes) -> TTFontFace:
    face = TTFontFace.__new__(TTFontFace)
    names = state.pop("__names__")
    for key in names:
        state[key] = TTFNameBytes(state[key])
    face.__dict__.update(state)
    face._ttf_data = data
    face._pdfScale = _scale(face.unitsPerEm)
    return face


def _entry_path(cache_dir: Path, digest: str, subfont: int) -> Path:
    version = reportlab.Version.replace(".", "_")
    return cache_dir / f"{digest[:24]}-{subfont}.rl{version}.faces"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    check, payload = blob[:32], blob[32:]
    if len(blob) < 33 or hashlib.sha256(payload).digest() != check:
        return None
    try:
        state = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return state if isinstance(state, dict) else None


def _parse(data: bytes, subfont: int) -> TTFontFace:
    return TTFontFace(io.BytesIO(data), subfontIndex=subfont)


def parsed_face(data: bytes, digest: str, subfont: int, cache_dir: Path | None) -> TTFontFace:
    """The reportlab face of the font ``data`` (sha256 ``digest``), from the cache when it holds a good entry."""
    path = _entry_path(cache_dir, digest, subfont) if cache_dir is not None else None
    if path is not None:
        state = _read(path)
        if state is not None:
            return _face(state, data)
    face = _parse(data, subfont)
    if path is not None:
        try:
            payload = marshal.dumps(_state(face))
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, hashlib.sha256(payload).digest() + payload)
        except (OSError, ValueError, WriteError) as exc:
            log.info("parsed font not cached (%s): %s", path, exc)
    return face


def make_ttfont(name: str, face: TTFontFace) -> TTFont:
    """A reportlab ``TTFont`` around an already parsed face, set up as ``TTFont.__init__`` sets one up."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font
