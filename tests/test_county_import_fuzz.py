"""Hypothesis over the manifest's fields, through the import action: refused whole (naming the file) or
imported exactly as the manifest says; never a half import, never an exception."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from actions import county
from actions.session import Session
from tests.county_fixtures import YUECHENG, make_package

TABLES = ("received_packages", "received_progress", "received_evidence", "progress")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[dict, dict[str, bytes]]:
    path = make_package(tmp_path_factory.mktemp("base"), YUECHENG)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop("manifest.json")), members


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    s = Session.open(tmp_path_factory.mktemp("data"), auto_backup=False)
    yield s
    s.close()


def counts(session: Session) -> dict[str, int]:
    return {t: session.store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


TOP_FIELDS = ("format", "version", "office", "plan_title", "plan_year", "report_date", "created_at", "app_version",
              "files")
FILE_FIELDS = ("path", "size", "sha256", "kind", "task", "number", "title", "url", "seen_date")
values = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 3000), st.text(max_size=30),
    st.sampled_from(["悦城镇", "德城街道", "某某镇", "德庆县2019年政务公开工作要点分工方案", "2019-12-04", "2019-13-40",
                     "2019-12-06T08:00:00", "taizhang-package", "evidence", "progress", "../x", "佐证材料/../../x",
                     "0" * 64, "", "\u202e", 2019, 1, 2, 10 ** 12]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def mutations(draw) -> tuple[str, int | None, object]:
    """(field, file index or None, new value); a value of ... deletes the field."""
    if draw(st.booleans()):
        return draw(st.sampled_from(TOP_FIELDS)), None, draw(st.one_of(values, st.just(...)))
    return draw(st.sampled_from(FILE_FIELDS)), draw(st.integers(0, 8)), draw(st.one_of(values, st.just(...)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(change=mutations())
def test_any_manifest_field_change_is_refused_whole_or_imported_as_written(base, session, tmp_path_factory, change):
    manifest, members = base
    key, index, value = change
    doc = json.loads(json.dumps(manifest))
    target = doc if index is None else doc["files"][index % len(doc["files"])]
    if value is ...:
        target.pop(key, None)
    else:
        target[key] = value
    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    path = tmp_path_factory.mktemp("p") / "悦城镇_报送材料.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", raw)
    before = counts(session)
    (outcome,) = county.import_packages(session, [path]).outcomes
    after = counts(session)
    event(outcome.result)
    if outcome.result == "refused":
        assert path.name in outcome.message
        assert after == before
    elif outcome.result == "imported":
        row = session.store.conn.execute(
            "SELECT office, report_date FROM received_packages WHERE manifest_sha256=?",
            (hashlib.sha256(raw).hexdigest(),)).fetchone()
        assert row == (doc["office"], doc["report_date"])
        assert after["received_packages"] == before["received_packages"] + 1
        assert after["progress"] == before["progress"] == 0
        with session.store.write() as conn:  # forget it, so the next accepted change is not a same-date conflict
            conn.execute("DELETE FROM received_packages")
    else:
        assert after == before
