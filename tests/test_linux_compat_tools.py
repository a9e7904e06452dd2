"""The glibc-2.28 build's helpers (tools/linux_compat): the GLIBC check and the pruning of system libraries."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "linux_compat"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_readelf = pytest.mark.skipif(shutil.which("readelf") is None, reason="binutils' readelf is not installed")


@needs_readelf
def test_check_fails_above_the_limit_and_passes_below(tmp_path, capsys):
    check = load("glibc_check")
    elf = Path(sys.executable).resolve()
    (tmp_path / "sub").mkdir()
    shutil.copy(elf, tmp_path / "sub" / "prog")
    (tmp_path / "notes.txt").write_text("not an ELF file", encoding="utf-8")

    needed = check.needed_versions(tmp_path / "sub" / "prog")
    top = check.highest(needed, "GLIBC")
    assert top is not None and top.startswith("GLIBC_2.")  # every x86_64 glibc program needs GLIBC_2.2.5 at least

    assert check.main(["--max", "2.0", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert "1 ELF files" in out.out and f"{top} " in out.out
    assert "TOO NEW: sub/prog" in out.err

    assert check.main(["--max", top.split("_", 1)[1], str(tmp_path)]) == 0
    assert "TOO NEW" not in capsys.readouterr().err


@needs_readelf
def test_check_reads_what_a_file_needs_not_what_it_defines():
    check = load("glibc_check")
    libc = Path("/lib/x86_64-linux-gnu/libc.so.6")
    if not libc.exists():
        pytest.skip("not a Debian-style x86_64 system")
    needed = check.needed_versions(libc)
    # libc.so.6 defines every GLIBC_ version but needs only a few from ld.so.
    assert "GLIBC_PRIVATE" not in check.highest(needed, "GLIBC")
    assert 0 < len([t for t in needed if t.startswith("GLIBC_")]) < 10


def test_prune_removes_system_libraries_and_keeps_the_carried_ones(tmp_path, capsys):
    prune = load("prune_system_libs")
    work, app = tmp_path / "build", tmp_path / "dist" / "taizhang"
    (work / "build").mkdir(parents=True)
    internal = app / "_internal"
    (internal / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    files = {
        "libX11.so.6": "/usr/lib/x86_64-linux-gnu/libX11.so.6",
        "libstdc++.so.6": "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "libxcb-cursor.so.0": "/usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0",
        "libatomic.so.1": "/usr/lib/x86_64-linux-gnu/libatomic.so.1",
        "PySide6/Qt/lib/libQt6Core.so.6": "/venv/site-packages/PySide6/Qt/lib/libQt6Core.so.6",
        "libpython3.11.so.1.0": "/cache/python/lib/libpython3.11.so.1.0",
    }
    for dest in files:
        (internal / dest).write_bytes(b"\x7fELF")
    toc = [(dest, src, "BINARY") for dest, src in files.items()]
    toc.append(("resources/plans/x.txt", "/usr/lib/not-a-binary.txt", "DATA"))
    (work / "build" / "COLLECT-00.toc").write_text(repr((toc,)), encoding="utf-8")

    assert prune.main(str(work), str(app)) == 0
    left = sorted(str(p.relative_to(internal)) for p in internal.rglob("*") if p.is_file())
    assert left == ["PySide6/Qt/lib/libQt6Core.so.6", "libatomic.so.1", "libpython3.11.so.1.0", "libxcb-cursor.so.0"]
    assert "removed 2 system libraries" in capsys.readouterr().out
