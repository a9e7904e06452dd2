"""What "verified" means for a database file, beyond SQLite's own integrity_check.

integrity_check does not notice a file that lost its last bytes (SQLite reads a short page as
zeros), nor text that no longer decodes, nor a file with our table names but other columns. So a
verified file must also:

- have the size its header promises: page count × page size (with a live -wal only a whole
  number of pages, because a checkpoint in progress may leave the header ahead of the file);
- have the columns the migrations create for its schema version (read through sqlite-utils, but only when the
  file's schema text differs from ours: see :func:`shape_problems`);
- decode: every text value is UTF-8, every JSON column parses, every plan and progress row loads.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from db import plans as plan_q
from db import progress as progress_q
from db.schema import MIGRATIONS
from db.sqlite_utils_db import reader

HEADER_MAGIC = b"SQLite format 3\x00"
# Columns holding JSON text (table, column): they must parse, or the plan cannot be shown.
JSON_COLUMNS = frozenset({
    ("plans", "report_items"), ("tasks", "lead_units"), ("tasks", "responsible_units"),
    ("tasks", "cooperating_units"), ("tasks", "aliases"), ("reports", "options"),
})


def _page_size(header: bytes) -> int:
    raw = int.from_bytes(header[16:18], "big")
    return 65536 if raw == 1 else raw


def header_through_sqlite(path: Path) -> tuple[int, int, int] | None:
    """(page size, page count, user_version) as the file's header gives them, read through SQLite.

    Never ``open()`` a database file that this process may hold a connection to: POSIX locks belong
    to the process, so closing any other descriptor of the file drops SQLite's locks, and the next
    process to close believes it is the last user and deletes the -wal still being written. An
    ``immutable`` connection reads only the main file (the header as written, like a plain read),
    creates no -wal or -shm, and SQLite keeps its own descriptors open until its locks are released.
    None when SQLite does not take it for a database.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        conn.execute("PRAGMA writable_schema = ON")  # read the header even when the schema text is damaged
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
        count = int(conn.execute("PRAGMA page_count").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except (sqlite3.Error, ValueError):  # ValueError: SQLite quoted undecodable text in its message
        return None
    finally:
        conn.close()
    return page, count, version


def size_problems(path: Path, *, live: bool = False) -> list[str]:
    """Check the file's size against its header; empty when it matches.

    ``live`` means the file may be the open database (this process may hold a connection to it):
    then it is read only through SQLite (see :func:`header_through_sqlite`), and when a -wal beside
    it holds frames the file need only be a whole number of pages.
    """
    if live:
        return _live_size_problems(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return [f"无法读取：{exc.strerror or exc}"]
    if len(header) < 100 or not header.startswith(HEADER_MAGIC):
        return ["不是 SQLite 数据库（文件头不对）"]
    page = _page_size(header)
    if page < 512 or page > 65536 or page & (page - 1):
        return [f"文件头中的页大小无效（{page}）"]
    if size % page:
        return [_not_whole(size, page)]
    pages = int.from_bytes(header[28:32], "big")
    counter, valid_for = header[24:28], header[92:96]
    if pages and counter == valid_for and pages * page != size:
        return [_short(pages, page, size)]
    return []


def _not_whole(size: int, page: int) -> str:
    return f"文件不完整：{size:,} 字节不是整页（每页 {page:,} 字节），文件末尾可能已丢失"


def _short(pages: int, page: int, size: int) -> str:
    return f"文件不完整：文件头记载 {pages:,} 页（{pages * page:,} 字节），实际 {size:,} 字节"


def _live_size_problems(path: Path) -> list[str]:
    """The same check without opening the file outside SQLite. SQLite's page count is the header's
    when the header's count is valid, else the file's size in pages: the same rule as above.

    While a -wal holds frames another process may be checkpointing into the file (it grows before
    its header says so, and SQLite then calls the header damaged): only whole pages are required.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        return [f"无法读取：{exc.strerror or exc}"]
    wal = Path(f"{path}-wal")
    try:
        wal_in_use = wal.exists() and wal.stat().st_size > 0
    except OSError:
        wal_in_use = False
    header = header_through_sqlite(path)
    if header is None:
        return [] if wal_in_use else ["不是 SQLite 数据库，或文件头已损坏、文件不完整"]
    page, pages, _version = header
    if size % page:
        return [_not_whole(size, page)]
    if wal_in_use:
        return []
    if pages and pages * page != size:
        return [_short(pages, page, size)]
    return []


def _schema_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    """(type, name, table, SQL text) of every table, index, trigger and view we could have made."""
    return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                        " ORDER BY type, name").fetchall()


@lru_cache(maxsize=8)
def _replica_rows(version: int) -> tuple[tuple[str, str, str, str | None], ...]:
    """The schema rows of an empty database built by migrations 1…``version`` (a few ms, once per version)."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        return tuple(_schema_rows(conn))
    finally:
        conn.close()


@lru_cache(maxsize=8)
def _replica(version: int) -> tuple[dict[str, list[tuple[str, str, int, int]]], frozenset[str]]:
    """Columns per table and trigger names of an empty database built by migrations 1…``version``."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        return _described(conn), frozenset(_triggers(conn))
    finally:
        conn.close()


def expected_columns(version: int) -> dict[str, list[tuple[str, str, int, int]]]:
    """Table → (name, type, notnull, pk) of each column, as migrations 1…``version`` create them."""
    return dict(_replica(version)[0])


def _columns(conn: sqlite3.Connection) -> dict[str, tuple[list[str], bool]]:
    """Table → (its column names, whether it has a rowid), in two queries (no sqlite-utils: :func:`decode_problems`
    runs at every open)."""
    out: dict[str, tuple[list[str], bool]] = {}
    try:
        plain = {r[0] for r in conn.execute("SELECT name FROM pragma_table_list WHERE type = 'table' AND wr = 0")}
    except sqlite3.OperationalError:  # SQLite before 3.37: asked table by table
        listed = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        plain = {t for (t,) in listed if _has_rowid(conn, t)}
    for table, column in conn.execute(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"):
        out.setdefault(table, ([], table in plain))[0].append(column)
    return out


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f"SELECT rowid FROM {_quoted(table)} LIMIT 0")
    except sqlite3.OperationalError:  # WITHOUT ROWID
        return False
    return True


def _described(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str, int, int]]]:
    """The same as :func:`_columns`, read through sqlite-utils: only for a schema that differs from ours."""
    db = reader(conn)
    return {t.name: [(c.name, str(c.type).upper(), int(c.notnull), int(c.is_pk)) for c in t.columns]
            for t in sorted(db.tables, key=lambda t: t.name) if not t.name.startswith("sqlite_")}


def _triggers(conn: sqlite3.Connection) -> set[str]:
    return {t.name for t in reader(conn).triggers}


#: ``schema_fingerprint`` of an empty database built by all the migrations: a file at the newest version with
#: this fingerprint has our schema, and the replica (~8 ms of SQLite at every open) need not be built.
#: tests/test_sqlite_utils.py builds the replica and names the new value when a migration changes the schema.
SCHEMA_FINGERPRINT = (len(MIGRATIONS), 11058, 0xE5F03A4B)


def schema_fingerprint(rows: tuple[tuple[str, str, str, str | None], ...]) -> tuple[int, int, int]:
    """(version, characters of SQL text, CRC-32 of the rows): the same schema rows give the same value; a
    different schema giving it would need a CRC collision between two schemas, not an accident to plan for."""
    import zlib  # built in, ~0.1 ms (hashlib's OpenSSL start is ~3 ms of the window's start)

    return len(MIGRATIONS), sum(len(r[3] or "") for r in rows), zlib.crc32(repr(rows).encode("utf-8"))


def shape_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """Tables, columns and history triggers compared with what the migrations create.

    Fast path, run at every open: a file made by our migrations has exactly the schema rows (type, name,
    table, SQL text) of the replica the same migrations build in memory, and the same text means the same
    tables, columns and triggers. At the newest version the rows are compared by their fingerprint with
    :data:`SCHEMA_FINGERPRINT`, without building the replica. Only when the rows differ (a foreign file, a
    changed table, an index added by hand) is the schema described table by table through sqlite-utils, to
    say what differs.
    """
    if not 1 <= version <= len(MIGRATIONS):
        return []  # the version itself is reported by the caller
    rows = tuple(_schema_rows(conn))
    if version == len(MIGRATIONS) and schema_fingerprint(rows) == SCHEMA_FINGERPRINT:
        return []
    if rows == _replica_rows(version):
        return []
    want, triggers = _replica(version)
    have = _described(conn)
    problems = []
    for table, columns in want.items():
        if table not in have:
            problems.append(f"缺少数据表 {table}")
        elif have[table] != columns:
            got = "、".join(c[0] for c in have[table])
            problems.append(f"数据表 {table} 的列与落实台账（数据版本 {version}）不符（实有：{got[:120]}）")
    missing = triggers - _triggers(conn)
    if missing:
        problems.append(f"缺少保存历史版本的触发器：{'、'.join(sorted(missing))}")
    return problems


#: Rows read at a time by :func:`decode_problems` (notes run to a few KB each): memory stays at a few MB.
_BATCH = 256


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _json_in_sql(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has json_valid() (built in since 3.38; an older or trimmed build may lack it)."""
    try:
        conn.execute("SELECT json_valid('[]')").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


def _undecodable(text: bytes) -> bool:
    """Whether text read as bytes is not UTF-8 (joined values: a newline cannot complete a broken sequence)."""
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _not_json(values: list[bytes]) -> bool:
    try:
        for raw in values:
            json.loads(raw)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return True
    return False


class _Batches:
    """Reading one rowid table's text :data:`_BATCH` rows at a time (see :func:`decode_problems`).

    Each batch is one statement returning one row: the batch's count and last rowid, then each column's text
    values joined with newlines (a newline cannot complete a broken UTF-8 sequence, so joining hides no damage),
    then per JSON column the rowids of the values SQLite's json_valid() does not call plain JSON (or that hold a
    NUL, where SQLite's parser stops). SQLite does the reading with the GIL released; Python decodes each joined
    column at C speed and hands only those suspects to json.loads, which alone decides, as before.
    """

    def __init__(self, table: str, names: list[str], json_sql: bool) -> None:
        self.table, self.names = table, names
        cols = [_quoted(n) for n in names]
        self.json_cols = [(n, c) for n, c in zip(names, cols, strict=True) if (table, n) in JSON_COLUMNS]
        texts = [f"group_concat(CASE WHEN typeof({c}) = 'text' THEN {c} END, x'0a')" for c in cols]
        bad = " AND (NOT json_valid({c}) OR instr({c}, char(0)))" if json_sql else ""
        suspects = [f"group_concat(CASE WHEN typeof({c}) = 'text'{bad.format(c=c)} THEN _rid_ END)"
                    for _, c in self.json_cols]
        self.width = 2 + len(texts) + len(suspects)
        self.sql = (f"SELECT count(*), max(_rid_), {', '.join(texts + suspects)} FROM (SELECT rowid AS _rid_,"
                    f" {', '.join(cols)} FROM {_quoted(table)} WHERE rowid > ? ORDER BY rowid LIMIT {_BATCH})")
        self.damaged: dict[str, None] = {}

    def take(self, conn: sqlite3.Connection, row: tuple) -> int | None:
        """Judge one batch's row; the rowid to go on after, or None when that was the table's last batch."""
        count, last = row[0], row[1]
        names = self.names
        for name, joined in zip(names, row[2:2 + len(names)], strict=True):
            if joined is not None and name not in self.damaged and _undecodable(joined):
                self.damaged[name] = None
        for (name, col), rowids in zip(self.json_cols, row[2 + len(names):], strict=True):
            if rowids is None or name in self.damaged:
                continue
            ids = [int(x) for x in rowids.split(b",")]
            values = [r[0] for r in conn.execute(
                f"SELECT {col} FROM {_quoted(self.table)} WHERE rowid IN ({','.join('?' * len(ids))})", ids)]
            if _not_json(values):
                self.damaged[name] = None
        return last if count == _BATCH else None

    def finish(self, conn: sqlite3.Connection, last: int | None) -> list[str]:
        """Read the batches after ``last``; the damaged columns, in table order."""
        while last is not None:
            last = self.take(conn, conn.execute(self.sql, (last,)).fetchone())
        return [n for n in self.names if n in self.damaged]


def _first_batches(conn: sqlite3.Connection, batches: list[_Batches], since: Mapping[str, int]) -> list[int | None]:
    """The first batch of every table in one statement (each statement's GIL release costs a thread up to the
    5 ms switch interval while the window's thread runs Python): a small database is read in one go."""
    parts, args = [], []
    for i, b in enumerate(batches):
        parts.append(f"({b.sql}) AS t{i}")
        args.append(since.get(b.table, -(2**63)))
    row = conn.execute(f"SELECT * FROM {', '.join(parts)}", args).fetchone()
    out, at = [], 0
    for b in batches:
        out.append(b.take(conn, row[at:at + b.width]))
        at += b.width
    return out


def _damaged_columns_streamed(conn: sqlite3.Connection, table: str, names: list[str]) -> list[str]:
    """The same for a WITHOUT ROWID table (no rowid to take batches by): its rows streamed into Python."""
    cols = [_quoted(n) for n in names]
    texts = ", ".join(f"CASE WHEN typeof({c}) = 'text' THEN {c} END" for c in cols)
    damaged: dict[str, None] = {}
    cursor = conn.execute(f"SELECT {texts} FROM {_quoted(table)}")
    while batch := cursor.fetchmany(_BATCH):
        for i, name in enumerate(names):
            values = [r[i] for r in batch if r[i] is not None]
            if name in damaged or not values:
                continue
            if _undecodable(b"\n".join(values)) or ((table, name) in JSON_COLUMNS and _not_json(values)):
                damaged[name] = None
    return [n for n in names if n in damaged]


def decode_problems(conn: sqlite3.Connection, since: Mapping[str, int] | None = None) -> list[str]:
    """Read every text value once (each JSON one parsed), then load every plan and every office's progress.

    ``since`` maps a table to a rowid: rows up to it were verified already (the newest backup, a page copy of
    this file, holds them unchanged: see :func:`db.recovery.verified_rows`) and are not read. Given for
    ``progress_history``, only the offices whose progress was saved after that row are loaded: every save
    adds a row there through the history triggers, which :func:`shape_problems` requires.

    Call only after :func:`shape_problems` found nothing. Blobs (archived PDFs) are not read.
    """
    since = since or {}
    problems: list[str] = []
    json_sql = _json_in_sql(conn)
    tables = _columns(conn)
    saved_factory = conn.text_factory
    conn.text_factory = bytes
    try:
        batches = [_Batches(t, names, json_sql) for t, (names, rowid) in tables.items() if rowid]
        lasts = _first_batches(conn, batches, since) if batches else []
        started = {b.table: (b, last) for b, last in zip(batches, lasts, strict=True)}
        for table, (names, _rowid) in tables.items():
            if table in started:
                batch, last = started[table]
                named = batch.finish(conn, last)
            else:
                named = _damaged_columns_streamed(conn, table, names)
            problems += [f"{table} 的 {name} 列有无法读取的内容" for name in named]
            if len(problems) >= 3:
                return problems[:3]
    finally:
        conn.text_factory = saved_factory
    if problems:
        return problems
    try:
        for (plan_id,) in conn.execute("SELECT id FROM plans").fetchall():
            plan_q.load_plan(conn, plan_id)
        if "progress_history" in since:
            # NOT INDEXED: SQLite would rather scan the whole (plan, office, task) index than seek by rowid
            pairs = conn.execute("SELECT DISTINCT plan_id, office FROM progress_history NOT INDEXED WHERE id > ?",
                                 (since["progress_history"],)).fetchall()
        else:
            pairs = conn.execute("SELECT DISTINCT plan_id, office FROM progress").fetchall()
        for plan_id, office in pairs:
            progress_q.load_progress(conn, plan_id, office)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        problems.append(f"数据无法读取：{type(exc).__name__}: {str(exc)[:80]}")
    return problems
