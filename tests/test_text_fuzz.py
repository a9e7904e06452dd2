"""Every text field, through the import file and through the editor's save: hostile text either
round-trips byte-identical or is refused with a message, and a refusal writes nothing at all."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.assign import roles_for
from core.model import TEXT_FIELDS, Progress, Status
from core.progress.file import FORMAT, MAX_FIELD_CHARS, VERSION, ProgressFileError, parse_progress_file
from core.progress.merge import plan_progress_import
from db.progress import UnstorableTextError
from db.store import Store
from tests.fault_helpers import fingerprint
from tests.stores import open_store

SPECIAL = ["\x00", "\x01\x08\x0b\x0c\x1b\x7f", "\u202e\u202d\u2066\u2067\u2069\u200f", "😀👨‍👩‍👧🇨🇳", "\ud800",
           "\udfff", "\udbff\udc00", "\r\n\r", "\ufeff", "\U0010ffff", "\ufffe\uffff", "　", "𠀀𪚥"]
ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates included
NO_SURROGATE = st.characters(exclude_categories=["Cs"])
TEXT = st.one_of(
    st.text(NO_SURROGATE, max_size=40),
    st.text(NO_SURROGATE, min_size=200, max_size=3000),
    st.text(ANY_CHAR, max_size=40),
    st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(ANY_CHAR, max_size=4)), max_size=12).map("".join),
)
FIELDS = st.fixed_dictionaries({key: TEXT for key in TEXT_FIELDS})
YUECHENG_TASKS = [n for n in range(1, 69) if n not in (65, 68)]  # the 66 tasks 悦城镇 has a role in


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("fuzz") / "data", auto_backup=False)
    yield store
    store.close()


def doc_for(store: Store, entries: list[dict]) -> dict:
    plan = store.plan()
    return {"format": FORMAT, "version": VERSION, "office": "悦城镇",
            "plan": {"title": plan.title, "year": plan.year}, "entries": entries}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(YUECHENG_TASKS), FIELDS), min_size=1, max_size=4, unique_by=lambda x: x[0]),
       st.booleans())
def test_import_round_trips_or_refuses_whole(shared_store, items, ascii_json):
    store = shared_store
    pid = store.current_plan_id()
    stamp = datetime.now().isoformat(timespec="seconds")  # an unstamped entry is older than earlier examples' saves
    entries = [{"task": t, "status": "in_progress", "percent": 50, "updated_at": stamp, **fields}
               for t, fields in items]
    text = json.dumps(doc_for(store, entries), ensure_ascii=ascii_json)
    # What the file says: "\\ud800\\udc00" escapes in JSON mean one character, U+10000.
    items = [(t, {k: json.loads(json.dumps(v, ensure_ascii=ascii_json)) for k, v in f.items()}) for t, f in items]
    expect_ok = all(storable(v) for _, f in items for v in f.values())
    plan = store.plan(pid)
    try:
        parsed = parse_progress_file(text, plan, {o.name for o in store.offices()})
    except ProgressFileError as exc:
        assert not expect_ok
        bad = next((t, k) for t, f in items for k in TEXT_FIELDS if not storable(f[k]))
        assert f"（任务 {bad[0]}）的字段 {bad[1]} 含有无法保存的字符" in str(exc)
        return
    assert expect_ok
    office = store.office("悦城镇")
    result = plan_progress_import(parsed, store.progress(pid, "悦城镇"), roles_for(plan, office, {}),
                                  current_office="悦城镇")
    assert result.ok
    store.save_many(pid, parsed.office, result.entries_to_save())
    saved = store.progress(pid, "悦城镇")
    for task, fields in items:
        for key, value in fields.items():
            assert getattr(saved[task], key).encode("utf-8") == value.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 68), FIELDS, st.sampled_from(list(Status)))
def test_editor_save_round_trips_or_refuses(shared_store, task, fields, status):
    store = shared_store
    pid = store.current_plan_id()
    before = fingerprint(store.path)
    entry = Progress(task, status, 10, **fields)
    try:
        store.save_progress(pid, "悦城镇", entry)
    except UnstorableTextError as exc:
        assert not all(storable(v) for v in fields.values())
        assert "无法保存" in str(exc) and "没有保存" in str(exc)
        assert fingerprint(store.path) == before
        assert not store.conn.in_transaction
        return
    saved = store.progress(pid, "悦城镇")[task]
    for key, value in fields.items():
        assert getattr(saved, key).encode("utf-8") == value.encode("utf-8")
    assert store.history(pid, "悦城镇", task)[0].progress.achievements == fields["achievements"]


def test_batch_with_one_bad_entry_writes_nothing(shared_store):
    store = shared_store
    pid = store.current_plan_id()
    before = fingerprint(store.path)
    good = [Progress(t, achievements=f"好的 {t}") for t in range(1, 20)]
    with pytest.raises(UnstorableTextError):
        store.save_many(pid, "悦城镇", [*good, Progress(20, problems="坏\udc80")])
    assert fingerprint(store.path) == before


def test_ten_megabyte_fields(shared_store):
    store = shared_store
    pid = store.current_plan_id()
    huge = ("进度说明😀\u202e\x00" * 1_250_000)[: 10 * 1024 * 1024]
    entries = [{"task": 5, "achievements": huge}]
    with pytest.raises(ProgressFileError) as err:
        parse_progress_file(json.dumps(doc_for(store, entries)), store.plan(pid), {"悦城镇"})
    assert f"超过 {MAX_FIELD_CHARS:,} 字（实际 {len(huge):,} 字）" in str(err.value)
    at_limit = huge[:MAX_FIELD_CHARS]
    parsed = parse_progress_file(json.dumps(doc_for(store, [{"task": 5, "steps": at_limit}])), store.plan(pid),
                                 {"悦城镇"})
    store.save_many(pid, "悦城镇", list(parsed.entries))
    assert store.progress(pid, "悦城镇")[5].steps == at_limit
    store.save_progress(pid, "悦城镇", Progress(6, next_steps=huge))  # the editor has no limit
    assert store.progress(pid, "悦城镇")[6].next_steps.encode() == huge.encode()
    assert store.check() == []
