"""LibreOffice for the tests that read our Word and Excel files the way an office suite does.

LibreOffice converts with its own profile in a temporary folder, so a running instance never takes the job
over. It is given the fonts the app ships (resources/fonts) through a fontconfig file of its own, with the
official names our files ask for (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) mapped to them: a machine
without Chinese system fonts (as CI's) would otherwise lay the text out in a font with no Chinese glyphs,
and the PDF's text would come back as one repeated character.
"""

from __future__ import annotations

import lzma
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from tempfile import mkdtemp
from xml.sax.saxutils import escape

from core.report.fonts import OFFICIAL_NAMES
from core.resources import resource_path

SOFFICE = shutil.which("soffice")
# The bundled family each official role falls to (as the PDF writer does: core.report.fonts).
ROLE_FAMILIES = {"body": "FandolFang", "title": "FandolSong", "hei": "WenQuanYi Micro Hei", "kai": "FandolKai"}


@lru_cache(maxsize=1)
def fontconfig_file() -> Path:
    """A fontconfig file listing the bundled fonts (unpacked once per test run) after the system's own."""
    folder = Path(mkdtemp(prefix="taizhang-lo-fonts-"))
    for font in sorted(resource_path("fonts").iterdir()):
        if font.suffix == ".xz":
            (folder / font.stem).write_bytes(lzma.decompress(font.read_bytes()))
        elif font.suffix in (".ttf", ".ttc", ".otf"):
            shutil.copyfile(font, folder / font.name)
    aliases = "".join(
        f"<alias binding='same'><family>{escape(OFFICIAL_NAMES[role])}</family>"
        f"<prefer><family>{escape(family)}</family></prefer></alias>"
        for role, family in ROLE_FAMILIES.items())
    conf = folder / "fonts.conf"
    conf.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<dir>{escape(str(folder))}</dir><cachedir>{escape(str(folder / 'cache'))}</cachedir>"
        f"{aliases}</fontconfig>", encoding="utf-8")
    return conf


def convert(src: Path, outdir: Path, target: str) -> Path:
    """``src`` converted by LibreOffice into ``outdir`` (``target`` as for --convert-to); the new file."""
    assert SOFFICE is not None
    outdir.mkdir(exist_ok=True)
    profile = (outdir / "lo-profile").as_uri()
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), str(src)],
        capture_output=True, text=True, timeout=300, check=False, env=env)
    assert done.returncode == 0, done.stderr
    out = outdir / (src.stem + "." + target.split(":")[0])
    assert out.exists(), done.stdout + done.stderr
    return out
