"""Several processes on one data folder (issue 20): no acknowledged save is ever erased by another process.

- The window beside CLI commands: the window's start backup and 30-minute backup used to read the live
  database's header with plain ``open()``/``close()``, which drops SQLite's POSIX locks for the whole
  process; the next CLI command to exit then took itself for the last user, folded and deleted the -wal,
  and the window went on writing into the deleted file (every later save lost).
- A guard: no code path opens the live file, its -wal or -shm outside SQLite while a connection is held.
- Lost update: processes changing different fields of one task at once never revert each other.
"""

from __future__ import annotations

import builtins
import io
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from actions import backups, editing
from actions.errors import ActionError
from actions.session import Session
from core.paths import DB_FILE
from db.recovery import check_and_recover
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent
WINDOW = ROOT / "tests" / "window_child.py"
FIELD_CHILD = ROOT / "tests" / "field_child.py"
OFFICE = "悦城镇"


class Window:
    """The window-like child process (tests/window_child.py), driven one command at a time."""

    def __init__(self, data_dir: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, str(WINDOW), str(data_dir)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                     cwd=ROOT)
        self.pid = self.ask_line()["pid"]

    def ask_line(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"window process ended: {self.proc.stderr.read()[-2000:]}")
        return json.loads(line)

    def ask(self, **cmd: object) -> dict:
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return self.ask_line()

    def deleted_files(self) -> list[str]:
        """Database files this process still writes although they were deleted (Linux /proc)."""
        fd_dir = Path(f"/proc/{self.pid}/fd")
        found = []
        for fd in fd_dir.iterdir() if fd_dir.is_dir() else []:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if DB_FILE in target and "(deleted)" in target:
                found.append(target)
        return found

    def quit(self) -> None:
        self.proc.stdin.write(json.dumps({"quit": True}) + "\n")
        self.proc.stdin.flush()
        self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0


def stored_values(db: Path) -> tuple[dict[tuple[int, str], str], set[tuple[int, str, str]]]:
    """(current value per (task, field), every (task, field, value) any saved version held)."""
    conn = sqlite3.connect(db)
    try:
        current, history = {}, set()
        for field in ("achievements", "problems", "steps", "owner", "next_steps"):
            for task, value in conn.execute(f"SELECT task, {field} FROM progress WHERE office=?", (OFFICE,)):
                current[(task, field)] = value
            for task, value in conn.execute(f"SELECT task, {field} FROM progress_history WHERE office=?", (OFFICE,)):
                history.add((task, field, value))
        return current, history
    finally:
        conn.close()


def lost_saves(db: Path, acked: list[tuple[int, str, str]]) -> tuple[int, int]:
    """(acknowledged values in no saved version, (task, field)s whose current value is not the last acked)."""
    current, history = stored_values(db)
    lost = sum((task, field, value) not in history for task, field, value in acked)
    last = {(task, field): value for task, field, value in acked}
    stale = sum(current.get(key) != value for key, value in last.items())
    return lost, stale


def test_window_beside_cli_commands_keeps_every_acknowledged_save(data_dir):
    window = Window(data_dir)  # a new data folder: seeded and backed up at start, as the window does
    acked: list[tuple[int, str, str]] = []
    try:
        for r in range(3):
            task = r + 1
            assert window.ask(save=task, field="achievements", value=f"窗口{r}")["value"] == f"窗口{r}"
            acked.append((task, "achievements", f"窗口{r}"))
            done = run(data_dir, "progress", "set", "--office", OFFICE, "--task", str(task), "--field", "problems",
                       "--value", f"命令{r}")
            assert done.returncode == 0, done.stderr
            acked.append((task, "problems", f"命令{r}"))
            assert run(data_dir, "tasks", "--office", OFFICE, "--json").returncode == 0
            window.ask(backup=True)  # the 30-minute backup, in the window's process
            assert run(data_dir, "check").stdout.strip() == "ok"
            assert window.ask(save=task, field="steps", value=f"窗口步骤{r}")["value"] == f"窗口步骤{r}"
            acked.append((task, "steps", f"窗口步骤{r}"))
        assert window.deleted_files() == []  # the window never writes into a deleted -wal
    finally:
        window.quit()
    assert len(acked) == 9
    assert lost_saves(data_dir / DB_FILE, acked) == (0, 0)


# --- the guard: nothing opens the live files outside SQLite while connected ---------------------------------
class OpenRecorder:
    """Records every open of the live database, its -wal or -shm through builtins/io/os/pathlib."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
        self.watched = {str(db.resolve()) + suffix for suffix in ("", "-wal", "-shm")}
        self.seen: list[str] = []
        real_open, real_os_open = builtins.open, os.open

        def is_live(target: object) -> bool:
            if isinstance(target, int):
                return False
            try:
                return str(Path(os.fsdecode(target)).resolve()) in self.watched
            except (TypeError, ValueError, OSError):
                return False

        def fake_open(file, *args, **kwargs):
            if is_live(file):
                self.seen.append(str(file))
            return real_open(file, *args, **kwargs)

        def fake_os_open(path, *args, **kwargs):
            if is_live(path):
                self.seen.append(str(path))
            return real_os_open(path, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_open)  # pathlib's read_bytes/open go through io.open
        monkeypatch.setattr(os, "open", fake_os_open)


def test_no_code_path_opens_the_live_files_outside_sqlite_while_connected(data_dir, monkeypatch, tmp_path):
    session = Session.open(data_dir)
    plan_id = session.current_plan_id()
    editing.save_field(session, plan_id, OFFICE, 3, "achievements", "守护")
    db = session.db_path
    recorder = OpenRecorder(monkeypatch, db)
    try:
        assert Path(f"{db}-wal").exists()  # the connection is live, in WAL mode
        # the backups: start/30-minute (only when changed), now, to a USB folder, to a single file
        editing.save_field(session, plan_id, OFFICE, 3, "problems", "变了")
        assert session.store.backup_if_changed("start") is not None
        assert backups.periodic_backup(db) is None
        backups.backup_now(db)
        usb = tmp_path / "usb"
        usb.mkdir()
        backups.backup_to(db, backups.backup_target(session, usb))
        backups.backup_to(db, tmp_path / "one.sqlite3")
        # the checks at open, and a second opening of the folder in the same process
        assert check_and_recover(db) is None
        with pytest.raises(ActionError, match="正在使用的数据本身"):  # restoring from the live file itself
            backups.restore(session, db)
        other = Session.open(data_dir)
        other.close()
        assert session.check() == []
    finally:
        monkeypatch.undo()
        session.close()
    assert recorder.seen == []
    # the recorder itself catches a plain open (so the empty list above means something)
    recorder = OpenRecorder(monkeypatch, db)
    db.read_bytes()
    with open(db, "rb"):
        pass
    monkeypatch.undo()
    assert len(recorder.seen) == 2


# --- lost update ------------------------------------------------------------------------------------------
FIELDS = {"owner": "cli", "steps": "cli", "achievements": "window", "problems": "cli", "next_steps": "window"}
SAVES_EACH = 25


def test_processes_changing_different_fields_at_once_revert_nothing(data_dir):
    Session.open(data_dir).close()
    task = 12
    procs = {field: subprocess.Popen([sys.executable, str(FIELD_CHILD), str(data_dir), str(task), field,
                                      str(SAVES_EACH), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for field, mode in FIELDS.items()}
    for p in procs.values():  # all opened; now all save together (no sleeps: each waits on its stdin)
        p.stdin.write("go\n")
        p.stdin.flush()
    acked = []
    for field, p in procs.items():
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        acked += [(task, field, value) for value in out.split()]
    assert len(acked) == len(FIELDS) * SAVES_EACH
    conn = sqlite3.connect(data_dir / DB_FILE)
    rows = conn.execute(f"SELECT {', '.join(FIELDS)} FROM progress_history WHERE office=? AND task=? ORDER BY id",
                        (OFFICE, task)).fetchall()
    conn.close()
    reverted = 0
    for i in range(len(FIELDS)):  # each field's value may only move forward from version to version
        seen = [int(row[i].rsplit("-", 1)[1]) if row[i] else -1 for row in rows]
        reverted += sum(b < a for a, b in itertools.pairwise(seen))
    assert reverted == 0
    assert lost_saves(data_dir / DB_FILE, acked) == (0, 0)


def test_window_saves_interleaved_with_commands_revert_nothing(data_dir):
    """The same, deterministic: the test interleaves the saves one by one (window, command, window, …), so a
    window that wrote back all eight fields from its stale editor would revert every command's change."""
    Session.open(data_dir).close()
    task, fields = 14, {"achievements": "window", "problems": "cli", "steps": "window", "owner": "cli"}
    procs = {field: subprocess.Popen([sys.executable, str(FIELD_CHILD), str(data_dir), str(task), field, "4", mode,
                                      "step"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=ROOT)
             for field, mode in fields.items()}
    acked = []
    for i in range(4):
        for field, p in procs.items():
            p.stdin.write("go\n")
            p.stdin.flush()
            assert p.stdout.readline().strip() == f"{field}-{i}"
            acked.append((task, field, f"{field}-{i}"))
    for p in procs.values():
        _out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err[-2000:]
    conn = sqlite3.connect(data_dir / DB_FILE)
    key = (OFFICE, task)
    final = conn.execute(f"SELECT {', '.join(fields)} FROM progress WHERE office=? AND task=?", key).fetchone()
    versions = conn.execute("SELECT count(*) FROM progress_history WHERE office=? AND task=?", key).fetchone()
    conn.close()
    assert final == tuple(f"{field}-3" for field in fields)
    assert versions == (16,)  # one version per acknowledged save
    assert lost_saves(data_dir / DB_FILE, acked) == (0, 0)


def test_six_evidence_adds_at_once_beside_the_window_keep_every_item(data_dir, tmp_path):
    """Issue 20 measured 6 of 30 已添加 items gone and a number reused with six adds at once."""
    from tests.evidence_fixtures import photo

    window = Window(data_dir)
    try:
        pictures = [photo(tmp_path / "src" / f"照片{n}.jpg", seed=200 + n) for n in range(6)]
        procs = [_cli(data_dir, "evidence", "add", "--office", OFFICE, "--task", "12", str(p)) for p in pictures]
        window.ask(save=12, field="achievements", value="添加材料时的窗口")
        outputs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0] * 6, outputs
        assert all("已添加" in err for _out, err in outputs)
        window.ask(backup=True)
    finally:
        window.quit()
    conn = sqlite3.connect(data_dir / DB_FILE)
    rows = conn.execute("SELECT seq, file_name FROM evidence WHERE office=? AND task=12 AND removed_at IS NULL"
                        " ORDER BY seq", (OFFICE,)).fetchall()
    conn.close()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert sorted(r[1] for r in rows) == sorted(p.name for p in pictures)
    assert lost_saves(data_dir / DB_FILE, [(12, "achievements", "添加材料时的窗口")]) == (0, 0)
    session = Session.open(data_dir, auto_backup=False)
    try:
        from actions import evidence

        assert evidence.check(session) == []
    finally:
        session.close()


# --- restore while another process writes --------------------------------------------------------------------
PROBE = """
import sqlite3, sys
sys.path.insert(0, {root!r})
from db.errors import StorageError
from db.open_lock import opening_lock
try:
    with opening_lock({data!r}, wait=0):
        print("opening: free")
except StorageError:
    print("opening: held")
conn = sqlite3.connect({db!r}, timeout=0, isolation_level=None)
try:
    conn.execute("BEGIN IMMEDIATE")
    print("write: free")
except sqlite3.OperationalError:
    print("write: held")
conn.close()
"""


def test_restore_is_refused_while_the_window_has_the_folder_open(data_dir):
    window = Window(data_dir)
    try:
        window.ask(save=5, field="achievements", value="恢复前的窗口")
        source = next((data_dir / "backups").glob("taizhang-*-start.sqlite3"))
        done = run(data_dir, "restore", str(source))
        assert done.returncode == 1
        assert "正在使用这个数据文件夹" in done.stderr and "Traceback" not in done.stderr
        assert list((data_dir / "backups").glob("*before-restore*")) == []  # refused before anything was done
        window.ask(save=5, field="problems", value="恢复被拒之后")
    finally:
        window.quit()
    acked = [(5, "achievements", "恢复前的窗口"), (5, "problems", "恢复被拒之后")]
    assert lost_saves(data_dir / DB_FILE, acked) == (0, 0)


def test_restore_holds_the_database_from_its_backup_through_the_swap(data_dir, monkeypatch):
    import db.restore as restore_mod

    session = Session.open(data_dir)
    plan_id = session.current_plan_id()
    source = next((data_dir / "backups").glob("taizhang-*-start.sqlite3"))
    editing.save_field(session, plan_id, OFFICE, 7, "achievements", "恢复前")
    db = session.db_path
    seen: list[str] = []
    late: list[subprocess.Popen] = []

    def between_backup_and_swap() -> None:
        probe = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT), data=str(data_dir), db=str(db))],
                               capture_output=True, text=True, timeout=60)
        seen.extend(probe.stdout.split("\n")[:2])
        # a command started now waits for the restore, then saves into the restored file
        env = {**os.environ, "TAIZHANG_DATA_DIR": str(data_dir)}
        late.append(subprocess.Popen([sys.executable, str(ROOT / "main.py"), "progress", "set", "--office", OFFICE,
                                      "--task", "7", "--field", "problems", "--value", "恢复时保存"],
                                     env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))

    monkeypatch.setattr(restore_mod, "_before_swap", between_backup_and_swap)
    result = backups.restore(session, source)
    session.close()
    assert seen == ["opening: held", "write: held"]
    _out, err = late[0].communicate(timeout=120)
    assert late[0].returncode == 0, err
    assert result.safety_backup is not None
    safety_values, _ = stored_values(result.safety_backup.path)
    assert safety_values[(7, "achievements")] == "恢复前"  # the data as it was, in the before-restore backup
    current, _ = stored_values(db)
    assert current[(7, "problems")] == "恢复时保存" and current[(7, "achievements")] == ""  # the backup had none


def test_restore_as_on_windows_ends_the_hold_before_the_swap_and_still_keeps_others_out(data_dir, monkeypatch):
    """Windows replaces no open file: there the hold ends just before the swap. The opening lock still makes a
    command started during the restore wait and save into the restored file (found by the Windows frozen walk)."""
    import db.restore as restore_mod

    monkeypatch.setattr(restore_mod, "CLOSE_BEFORE_SWAP", True)
    replaced_while_open: list[bool] = []
    real_replace = os.replace

    def replace(src, dst):  # what Windows refuses: replacing the live file while a connection holds it
        if Path(dst) == data_dir / "taizhang.sqlite3":
            held = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT), data=str(data_dir),
                                                                      db=str(dst))],
                                  capture_output=True, text=True, timeout=60).stdout.split("\n")[:2]
            replaced_while_open.append(held[1] == "write: held")
        return real_replace(src, dst)

    session = Session.open(data_dir)
    plan_id = session.current_plan_id()
    source = next((data_dir / "backups").glob("taizhang-*-start.sqlite3"))
    editing.save_field(session, plan_id, OFFICE, 7, "achievements", "恢复前")
    late: list[subprocess.Popen] = []

    def before_swap() -> None:
        env = {**os.environ, "TAIZHANG_DATA_DIR": str(data_dir)}
        late.append(subprocess.Popen([sys.executable, str(ROOT / "main.py"), "progress", "set", "--office", OFFICE,
                                      "--task", "7", "--field", "problems", "--value", "恢复时保存"],
                                     env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))

    monkeypatch.setattr(restore_mod, "_before_swap", before_swap)
    monkeypatch.setattr(restore_mod.os, "replace", replace)
    result = backups.restore(session, source)
    session.close()
    assert replaced_while_open == [False]
    _out, err = late[0].communicate(timeout=120)
    assert late[0].returncode == 0, err
    assert stored_values(result.safety_backup.path)[0][(7, "achievements")] == "恢复前"
    current, _ = stored_values(data_dir / "taizhang.sqlite3")
    assert current[(7, "problems")] == "恢复时保存" and current[(7, "achievements")] == ""


# --- the soak: everything at once, over several rounds ----------------------------------------------------
SOAK_ROUNDS = 6


def _cli(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TAIZHANG_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], env=env, cwd=ROOT, text=True,
                            encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_soak_window_cli_saves_evidence_and_backups_lose_nothing(data_dir, tmp_path):
    """The README's multi-process figures: per round the window saves twice and runs its 30-minute backup
    while two `progress set` and one `evidence add` run beside it; one `backup --out` half-way."""
    from tests.evidence_fixtures import photo

    window = Window(data_dir)
    usb = tmp_path / "usb"
    usb.mkdir()
    acked: list[tuple[int, str, str]] = []
    added: list[str] = []
    backups_out = 0
    try:
        for r in range(SOAK_ROUNDS):
            picture = photo(tmp_path / "src" / f"现场{r}.jpg", seed=100 + r)
            others = [
                (_cli(data_dir, "progress", "set", "--office", OFFICE, "--task", str(20 + r), "--field", "problems",
                      "--value", f"命令甲{r}"), (20 + r, "problems", f"命令甲{r}")),
                (_cli(data_dir, "progress", "set", "--office", OFFICE, "--task", str(12), "--field", "next_steps",
                      "--value", f"命令乙{r}"), (12, "next_steps", f"命令乙{r}")),
                (_cli(data_dir, "evidence", "add", "--office", OFFICE, "--task", "12", str(picture)), None),
            ]
            if r == SOAK_ROUNDS // 2:
                others.append((_cli(data_dir, "backup", "--out", str(usb)), None))
            for field, value in (("achievements", f"窗口{r}"), ("steps", f"窗口步骤{r}")):
                assert window.ask(save=12, field=field, value=value)["value"] == value
                acked.append((12, field, value))
            window.ask(backup=True)
            for proc, ack in others:
                out, err = proc.communicate(timeout=120)
                assert proc.returncode == 0, err
                if ack is not None:
                    acked.append(ack)
                elif "已添加" in err + out:
                    added.append(picture.name)
                else:
                    backups_out += 1
        assert window.deleted_files() == []
    finally:
        window.quit()
    # the figures the README publishes
    assert (SOAK_ROUNDS, len(acked), len(added), backups_out) == (6, 24, 6, 1)
    assert lost_saves(data_dir / DB_FILE, acked) == (0, 0)
    conn = sqlite3.connect(data_dir / DB_FILE)
    rows = conn.execute("SELECT task || '-' || seq, file_name FROM evidence WHERE office=? AND removed_at IS NULL"
                        " ORDER BY seq", (OFFICE,)).fetchall()
    conn.close()
    assert [r[0] for r in rows] == [f"12-{n}" for n in range(1, 7)]  # every 已添加 kept, no number reused
    assert sorted(r[1] for r in rows) == sorted(added)
    check = run(data_dir, "check")
    assert check.returncode == 0 and check.stdout.strip() == "ok"
    from actions import evidence

    session = Session.open(data_dir, auto_backup=False)
    try:
        assert evidence.check(session) == []  # every stored file re-hashed: none missing or altered
    finally:
        session.close()
    [folder] = usb.iterdir()
    assert backups.check_source(folder) == folder  # the backup made under load verifies
