"""Shared fixtures: the real 2019 plan, a fresh data folder, and offscreen Qt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Decompressed report fonts (core/report/fonts.py) are cached in the user cache folder: keep the tests' copies
# out of the real one.
if "XDG_CACHE_HOME" not in os.environ:
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="taizhang-test-cache-")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.notice_parser import parse_notice  # noqa: E402
from core.resources import BUILTIN_PLAN, resource_path  # noqa: E402

NOTICE_TEXT = resource_path(*BUILTIN_PLAN).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def notice_text() -> str:
    return NOTICE_TEXT


@pytest.fixture(scope="session")
def plan():
    return parse_notice(NOTICE_TEXT)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("TAIZHANG_DATA_DIR", str(d))
    return d


@pytest.fixture
def session(data_dir: Path):
    """The data folder opened as the app opens it (``actions.Session``: the 2019 plan seeded)."""
    from actions.session import Session

    s = Session.open(data_dir)
    yield s
    s.close()


@pytest.fixture
def store(session):
    """The session's storage, for tests of what was stored."""
    return session.store


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path_factory: pytest.TempPathFactory):
    """Window state (QSettings) goes to a temporary folder, never the user's."""
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # pragma: no cover - Qt is a pinned dependency
        yield
        return
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """One line on the root-only tests (a real tmpfs), so a skip is visible in CI output."""
    from tests.fault_helpers import TMPFS_TESTS

    mounted, skipped = len(TMPFS_TESTS["mounted"]), len(TMPFS_TESTS["skipped"])
    if mounted or skipped:
        terminalreporter.write_line(
            f"root-only tmpfs tests: {mounted} ran on a real tmpfs, {skipped} SKIPPED (mounting needs root)"
            + (": " + ", ".join(sorted(TMPFS_TESTS["skipped"])) if skipped else ""))
