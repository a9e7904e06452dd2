"""Helpers for fault tests: a real small or read-only file system where the OS lets us mount one."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.backup import data_fingerprint

# Tests that needed a real tmpfs, by outcome; conftest.py prints the counts at the end of the run
# so a CI log shows how many of them were skipped (they need root).
TMPFS_TESTS: dict[str, set[str]] = {"mounted": set(), "skipped": set()}


def _current_test() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0]


@contextlib.contextmanager
def mounted_tmpfs(where: Path, options: str) -> Iterator[Path]:
    """Mount a tmpfs at ``where`` (root only); skips the test when mounting is not allowed."""
    where.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or os.geteuid() != 0:
        TMPFS_TESTS["skipped"].add(_current_test())
        pytest.skip("mounting a file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        TMPFS_TESTS["skipped"].add(_current_test())
        pytest.skip(f"cannot mount tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    TMPFS_TESTS["mounted"].add(_current_test())
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(where)], check=True, capture_output=True)


def fingerprint(path: Path) -> str:
    """Every row of every table, read through a fresh connection."""
    conn = sqlite3.connect(str(path))
    try:
        return data_fingerprint(conn)
    finally:
        conn.close()
