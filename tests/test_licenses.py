"""Every bundled component has its licence text, with the version requirements.txt pins."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from core import licenses

ROOT = Path(__file__).resolve().parent.parent
# Dependencies a wheel declares that no build ships, and why.
NOT_BUNDLED = {
    "qtpy": "gui/icons.py reads qtawesome's two font files without importing qtawesome; build.spec excludes both",
    "pip": "sqlite-utils declares it for its own `install` command, which the app never runs",
}
WINDOWS_ENV = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"}
LINUX_ENV = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_pins() -> dict[str, str]:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    return {normalise(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def bundled_distributions(env: dict[str, str]) -> set[str]:
    """requirements.txt's pins and everything they pull in for ``env``, less what no build ships.

    Read from the installed packages' metadata, so those must be the pinned versions.
    """
    stale = {n: version(n) for n, v in runtime_pins().items() if version(n) != v}
    if stale:
        pytest.fail(f"installed versions differ from requirements.txt: {stale}; run pip install -r requirements.txt")
    seen: set[str] = set()
    todo = list(runtime_pins())
    while todo:
        name = todo.pop()
        if name in seen or name in NOT_BUNDLED:
            continue
        seen.add(name)
        try:
            reqs = requires(name) or []
        except PackageNotFoundError:  # a Windows-only dependency: not installed on this Linux machine
            continue
        for line in reqs:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({**env, "extra": ""}):
                todo.append(normalise(req.name))
    return seen


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_every_listed_licence_file_is_there(platform):
    assert licenses.missing_files(platform) == []


@pytest.mark.parametrize(("platform", "env"), [("linux", LINUX_ENV), ("win32", WINDOWS_ENV)])
def test_every_bundled_distribution_has_a_licence_entry(platform, env):
    covered = {d for c in licenses.bundled_components(platform) for d in c.distributions}
    assert bundled_distributions(env) - covered == set()


def test_windows_build_lists_its_extra_components():
    windows = {c.name for c in licenses.bundled_components("win32")}
    linux = {c.name for c in licenses.bundled_components("linux")}
    assert windows - linux == {"Microsoft Visual C++ 运行库"}
    assert linux <= windows


def test_versions_match_the_pins():
    pins = runtime_pins()
    for component in licenses.COMPONENTS:
        for dist in component.distributions:
            if dist == "qtawesome":  # the entry is for the fonts it carries, which have their own version
                assert f"qtawesome {pins[dist]}" in component.purpose
            elif dist in pins:
                assert component.version == pins[dist], (component.name, dist)
    qt = next(c for c in licenses.COMPONENTS if c.name == "Qt")
    assert qt.version == pins["pyside6"]  # PySide6 6.x.y wheels carry Qt 6.x.y


def test_our_licence_is_mit_and_the_bundled_copy_is_identical():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert licenses.licence_path("licenses/taizhang-MIT.txt").read_text(encoding="utf-8") == text


def test_lgpl_and_gpl_texts_are_the_real_ones():
    lgpl = licenses.licence_path("licenses/LGPL-3.0.txt").read_text(encoding="utf-8")
    gpl = licenses.licence_path("licenses/GPL-3.0.txt").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl and "Version 3, 29 June 2007" in lgpl
    assert "GNU GENERAL PUBLIC LICENSE" in gpl and "Version 3, 29 June 2007" in gpl
    assert len(gpl) > 30_000


def font_files() -> list[str]:
    return [f for f in licenses.bundled_components()[-1].files if f.startswith("fonts/LICENSES/")]


def test_fonts_are_listed_with_every_licence_file_beside_them():
    fonts = licenses.bundled_components()[-1]
    folder = ROOT / "resources" / "fonts" / "LICENSES"
    assert fonts.files[0] == "fonts/README.md"
    assert {f.rsplit("/", 1)[-1] for f in font_files()} == {p.name for p in folder.iterdir()}
    # The Debian copyright files point at /usr/share/common-licenses, which a Windows PC lacks.
    assert {"licenses/GPL-3.0.txt", "licenses/Apache-2.0.txt"} <= set(fonts.files)


def test_a_gpl_font_ships_with_its_font_exception():
    texts = [licenses.licence_path(f).read_text(encoding="utf-8", errors="replace") for f in font_files()]
    with_exception = [t for t in texts if re.search(r"GPL-3\+? with Font exception", t, re.I)]
    assert with_exception  # wqy-microhei: Apache-2.0 or GPL-3+ with the font exception
    for text in with_exception:
        assert "As a special exception, if you create a document which uses this font" in text


def test_licence_text_joins_every_file_of_a_component():
    qt = next(c for c in licenses.COMPONENTS if c.name == "Qt")
    text = licenses.licence_text(qt)
    assert text.count("==== ") == len(qt.files)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "qtbase" in text


def test_export_copies_every_file_for_the_platform(tmp_path):
    copies = licenses.export_licences(tmp_path / "licenses", "win32")
    names = {p.relative_to(tmp_path / "licenses").as_posix() for p in copies}
    assert {"LGPL-3.0.txt", "MSVC-runtime.txt", "taizhang-MIT.txt", "fonts/README.md"} <= names
    assert all(p.stat().st_size > 0 for p in copies)
    linux = {p.name for p in licenses.export_licences(tmp_path / "linux", "linux")}
    assert "MSVC-runtime.txt" not in linux
