"""Portable mode: portable.txt beside the frozen executable keeps data (and settings) next to the app;
without it nothing is written in the app folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from core import paths


@pytest.fixture
def frozen_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake one-folder build: <tmp>/taizhang/taizhang, run as a frozen executable."""
    app = tmp_path / "taizhang"
    app.mkdir()
    exe = app / ("taizhang.exe" if sys.platform == "win32" else "taizhang")
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("TAIZHANG_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "localappdata"))
    return app


def test_portable_txt_puts_data_beside_the_app(frozen_app: Path):
    (frozen_app / "portable.txt").write_text("", encoding="utf-8")
    assert paths.portable_dir() == frozen_app.resolve() / "data"
    assert paths.resolve_data_dir() == frozen_app.resolve() / "data"


def test_without_portable_txt_data_stays_out_of_the_app_folder(frozen_app: Path):
    assert paths.portable_dir() is None
    data = paths.resolve_data_dir()
    assert data == paths.user_data_dir()
    assert frozen_app.resolve() not in data.resolve().parents


def test_a_folder_named_portable_txt_is_not_the_marker(frozen_app: Path):
    (frozen_app / "portable.txt").mkdir()
    assert paths.portable_dir() is None


def test_explicit_choices_win_over_portable_txt(frozen_app: Path, tmp_path: Path, monkeypatch):
    (frozen_app / "portable.txt").write_text("", encoding="utf-8")
    assert paths.resolve_data_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    monkeypatch.setenv("TAIZHANG_DATA_DIR", str(tmp_path / "env"))
    assert paths.resolve_data_dir() == tmp_path / "env"


def test_from_source_portable_txt_beside_python_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    (tmp_path / "portable.txt").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    assert paths.app_dir() is None
    assert paths.portable_dir() is None


def test_user_data_dir_is_the_platforms_and_keeps_the_linux_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert paths.user_data_dir() == tmp_path / "xdg" / "taizhang"
    else:
        assert paths.user_data_dir().name == "Taizhang"


def test_window_settings_live_in_the_data_folder(tmp_path: Path, qapp):
    """--data-dir (and portable mode, which only picks the data folder) covers the window settings too."""
    from actions.session import Session
    from gui.main_window import qsettings

    session = Session.open(tmp_path / "data", auto_backup=False)
    try:
        settings = qsettings(session)
        settings.setValue("main/probe", "x")
        settings.sync()
        assert Path(settings.fileName()) == tmp_path / "data" / "settings.ini"
        assert "probe=x" in (tmp_path / "data" / "settings.ini").read_text(encoding="utf-8")
    finally:
        session.close()
