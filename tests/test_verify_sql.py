"""The open-time row check done inside SQLite (issue 22): json_valid() only picks suspects, json.loads decides,
and tables longer than one batch are read to their end."""

from __future__ import annotations

import pytest

from db import verify
from db.verify import decode_problems
from tests.stores import open_store


@pytest.fixture
def conn(tmp_path):
    store = open_store(tmp_path, auto_backup=False)
    yield store.conn
    store.close()


def _set_lead(conn, value: str, number: int = 8) -> None:
    with conn:
        conn.execute("UPDATE tasks SET lead_units = ? WHERE number = ?", (value, number))


@pytest.mark.parametrize("value", ['["县府办", NaN]', '["县府办", -Infinity]'], ids=["nan", "infinity"])
def test_json_that_sqlite_doubts_but_python_reads_is_not_damage(conn, value):
    """json_valid() refuses these; json.loads (what reading the plan uses) takes them: no damage, as before."""
    _set_lead(conn, value)
    assert conn.execute("SELECT json_valid(?)", (value,)).fetchone()[0] == 0
    assert decode_problems(conn) == []


@pytest.mark.parametrize("value", ['["县府办"', '["县府办"]\x00]', '["县府办",]'], ids=["cut", "nul", "comma"])
def test_broken_json_names_its_column(conn, value):
    _set_lead(conn, value, number=60)
    assert decode_problems(conn) == ["tasks 的 lead_units 列有无法读取的内容"]


def test_json_damage_past_the_first_batch_is_found(conn):
    with conn:
        conn.executemany("INSERT INTO reports (plan_id, office, created_at, report_date, sha256, options, pdf)"
                         " VALUES (1, '悦城镇', '', '', ?, '{}', x'')", ((f"{i:064x}",) for i in range(600)))
        conn.execute("UPDATE reports SET options = '{\"a\": }' WHERE id = (SELECT max(id) FROM reports)")
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] > 2 * verify._BATCH
    assert decode_problems(conn) == ["reports 的 options 列有无法读取的内容"]


def test_without_json_functions_python_parses_every_value(conn, monkeypatch):
    monkeypatch.setattr(verify, "_json_in_sql", lambda _conn: False)
    assert decode_problems(conn) == []
    _set_lead(conn, '["县府办"')
    assert decode_problems(conn) == ["tasks 的 lead_units 列有无法读取的内容"]
