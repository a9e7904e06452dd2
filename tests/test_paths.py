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
    assert paths.portable_settings_file() == frozen_app.resolve() / "data" / "settings.ini"


def test_without_portable_txt_data_stays_out_of_the_app_folder(frozen_app: Path):
    assert paths.portable_dir() is None
    assert paths.portable_settings_file() is None
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


def test_window_settings_follow_portable_mode(frozen_app: Path, qapp):
    from gui.main_window import qsettings

    (frozen_app / "portable.txt").write_text("", encoding="utf-8")
    settings = qsettings()
    assert Path(settings.fileName()) == frozen_app.resolve() / "data" / "settings.ini"
