"""county import: real packages from three offices merged; every bad package refused with nothing imported."""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from actions import county
from actions.session import Session
from core.model import Status
from core.package.write import write_package
from tests.county_fixtures import (
    DECHENG,
    EDUCATION,
    YUECHENG,
    YUECHENG_12,
    documents,
    make_package,
    progress_for,
    three_packages,
)
from tests.report_fixtures import real_plan

TABLES = ("received_packages", "received_progress", "received_evidence", "progress")


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> list[Path]:
    return three_packages(tmp_path_factory.mktemp("packages"))


@pytest.fixture
def fresh(tmp_path) -> Session:
    s = Session.open(tmp_path / "data", auto_backup=False)
    yield s
    s.close()


def counts(session: Session) -> dict[str, int]:
    return {t: session.store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_three_offices_imported_and_merged(fresh, packages):
    summary = county.import_packages(fresh, packages)
    assert [(o.result, o.office) for o in summary.outcomes] == [("imported", YUECHENG), ("imported", DECHENG),
                                                                ("imported", EDUCATION)]
    assert all(o.current for o in summary.outcomes)
    n = counts(fresh)
    # entries as each office wrote them (德城街道 left every 7th task out); evidence as listed in the manifests
    assert n["received_progress"] == 66 + 57 + 60 == sum(len(progress_for(o)) for o in (YUECHENG, DECHENG, EDUCATION))
    assert n["received_evidence"] == 3 + 2 + 1
    assert n["progress"] == 0  # the collector's own progress is untouched
    m = county.matrix(fresh)
    assert [c.name for c in m.received] == [DECHENG, YUECHENG, EDUCATION]  # column order: towns, then departments
    assert len(m.columns) == 40 and len(m.missing) == 37


def test_matrix_cell_for_yuecheng_task_12_is_what_yuecheng_wrote(fresh, packages):
    county.import_packages(fresh, packages)
    cell = county.matrix(fresh).cell(12, YUECHENG)
    assert (cell.status, cell.percent, cell.has_achievements, cell.evidence) == (Status.DONE, 100, True, 2)
    detail = county.cell_detail(fresh, YUECHENG, 12)
    assert detail.entry == YUECHENG_12  # every field, the save time included
    assert [(e.number, e.title, e.kind) for e in detail.evidence] == [("12-1", "留言办理台账", "evidence"),
                                                                      ("12-2", "包案会议照片", "evidence")]
    assert detail.evidence[0].path == "佐证材料/任务12 办理市府办转来的舆情处置等/12-1 留言办理台账.pdf"
    assert detail.package.file_name == "悦城镇_2019-12-04.zip"


def test_reimporting_the_same_package_changes_nothing(fresh, packages, tmp_path):
    county.import_packages(fresh, packages)
    before = counts(fresh)
    history = county.package_history(fresh)
    copy = tmp_path / "副本.zip"
    shutil.copy(packages[0], copy)
    summary = county.import_packages(fresh, [*packages, copy])
    assert [o.result for o in summary.outcomes] == ["unchanged"] * 4
    assert "悦城镇_2019-12-04.zip" in summary.outcomes[3].message
    assert counts(fresh) == before
    assert county.package_history(fresh) == history


def test_a_newer_package_replaces_the_older_and_both_stay(fresh, packages, tmp_path):
    county.import_packages(fresh, packages)
    newer = {**progress_for(YUECHENG), 12: replace(YUECHENG_12, achievements="全年办理网民留言15件，全部按时办结。")}
    late = make_package(tmp_path, YUECHENG, report_date=date(2019, 12, 6), progress=newer,
                        created=datetime(2019, 12, 6, 9, 0))
    outcome = county.import_packages(fresh, [late]).outcomes[0]
    assert (outcome.result, outcome.current) == ("imported", True)
    history = county.package_history(fresh, YUECHENG)
    assert [(p.report_date, p.current) for p in history] == [("2019-12-06", True), ("2019-12-04", False)]
    assert history[1].superseded_by == history[0].id
    m = county.matrix(fresh)
    assert m.entry(12, YUECHENG).achievements == "全年办理网民留言15件，全部按时办结。"
    assert [c.late for c in m.received if c.name == YUECHENG] == [True]  # after the 12月5日 deadline
    # the older one imported again is still the same package: nothing changes
    assert county.import_packages(fresh, [packages[0]]).outcomes[0].result == "unchanged"
    content = county.compose_report(fresh, collector=fresh.office("县府办"), report_date=date(2019, 12, 10))
    reporting = next(b.text for b in content.blocks if b.text.startswith("按时"))
    assert ("按时（2019年12月5日前）报送的有德城街道、县教育局，共2个单位。"
            "逾期报送的有悦城镇（2019年12月6日），共1个单位。") in reporting
    assert fresh.check() == []  # integrity_check and foreign_key_check


def test_an_older_package_arriving_late_goes_into_the_history(fresh, packages, tmp_path):
    older = make_package(tmp_path, YUECHENG, report_date=date(2019, 11, 20), created=datetime(2019, 11, 20, 9, 0))
    county.import_packages(fresh, [packages[0]])
    outcome = county.import_packages(fresh, [older]).outcomes[0]
    assert (outcome.result, outcome.current) == ("imported", False)
    assert "存入历史" in outcome.message
    assert [(p.report_date, p.current) for p in county.package_history(fresh, YUECHENG)] == [
        ("2019-12-04", True), ("2019-11-20", False)]
    assert county.matrix(fresh).entry(12, YUECHENG) == YUECHENG_12


def _other_content_same_date(folder: Path) -> Path:
    changed = {**progress_for(YUECHENG), 12: replace(YUECHENG_12, percent=90, status=Status.IN_PROGRESS)}
    return make_package(folder, YUECHENG, progress=changed, file_name="悦城镇_改.zip",
                        created=datetime(2019, 12, 4, 18, 0))


def test_two_packages_of_one_office_with_the_same_date_are_refused(fresh, packages, tmp_path):
    other = _other_content_same_date(tmp_path)
    # in one batch: neither is taken (which one is right?), the other offices are
    summary = county.import_packages(fresh, [packages[0], other, packages[1]])
    assert [o.result for o in summary.outcomes] == ["refused", "refused", "imported"]
    assert "悦城镇_2019-12-04.zip" in summary.outcomes[0].message and "悦城镇_改.zip" in summary.outcomes[0].message
    assert counts(fresh)["received_packages"] == 1
    # one already imported: the second is refused, naming both files
    county.import_packages(fresh, [packages[0]])
    before = counts(fresh)
    outcome = county.import_packages(fresh, [other]).outcomes[0]
    assert outcome.result == "refused"
    assert "悦城镇_改.zip" in outcome.message and "悦城镇_2019-12-04.zip" in outcome.message
    assert counts(fresh) == before


# --- bad input: refused with a message naming the file, nothing imported ---------------------------
def _members(path: Path) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop("manifest.json")), members


def _zip(path: Path, manifest: dict, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return path


def _not_a_zip(src: Path, out: Path) -> Path:
    out.write_text("这不是压缩包", encoding="utf-8")
    return out


def _not_a_package(src: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("悦城镇_落实情况报告.pdf", b"%PDF-1.4")
    return out


def _lying_hash(src: Path, out: Path) -> Path:
    manifest, members = _members(src)
    name = next(n for n in members if n.endswith(".pdf") and n.startswith("佐证材料/"))
    members[name] = members[name].replace(b"%PDF", b"%PDX", 1)  # same size, other bytes
    return _zip(out, manifest, members)


def _incomplete(src: Path, out: Path) -> Path:
    manifest, members = _members(src)
    del members[next(n for n in members if n.endswith(".jpg"))]
    return _zip(out, manifest, members)


def _escaping(src: Path, out: Path) -> Path:
    manifest, members = _members(src)
    entry = next(f for f in manifest["files"] if f["kind"] == "evidence")
    members["../../逃逸.pdf"] = members.pop(entry["path"])
    entry["path"] = "../../逃逸.pdf"
    return _zip(out, manifest, members)


def _other_plan(src: Path, out: Path) -> Path:
    return write_package(out, YUECHENG, "德庆县2020年政务公开工作要点分工方案", 2020, date(2020, 12, 4),
                         **documents(YUECHENG)).path


def _unknown_office(src: Path, out: Path) -> Path:
    plan = real_plan()
    return write_package(out, "某某镇", plan.title, plan.year, date(2019, 12, 4), **documents(YUECHENG)).path


def _progress_of_another_office(src: Path, out: Path) -> Path:
    plan = real_plan()
    docs = documents(DECHENG)
    return write_package(out, YUECHENG, plan.title, plan.year, date(2019, 12, 4), **docs).path


BAD = {
    "not_a_zip": (_not_a_zip, "不是有效的压缩包"),
    "not_a_package": (_not_a_package, "不是落实台账的报送材料"),
    "lying_hash": (_lying_hash, "校验值不符"),
    "incomplete": (_incomplete, "压缩包里没有"),
    "escaping": (_escaping, "../"),
    "other_plan": (_other_plan, "与当前方案《德庆县2019年政务公开工作要点分工方案》（2019年）不一致"),
    "unknown_office": (_unknown_office, "报送单位“某某镇”不在当前方案的单位列表中"),
    "progress_of_another_office": (_progress_of_another_office,
                                   "清单写的是悦城镇的报送材料，其中的进度数据 悦城镇_进度数据.json 却是“德城街道”的"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_package_is_refused_naming_the_file_and_nothing_is_imported(fresh, packages, tmp_path, case):
    make, words = BAD[case]
    bad = make(packages[0], tmp_path / f"坏的_{case}.zip")
    before = counts(fresh)
    summary = county.import_packages(fresh, [bad])
    (outcome,) = summary.outcomes
    assert outcome.result == "refused" and not summary.ok
    assert bad.name in outcome.message and words in outcome.message
    assert counts(fresh) == before


def test_a_bad_package_does_not_stop_the_good_ones(fresh, packages, tmp_path):
    bad = _lying_hash(packages[0], tmp_path / "坏.zip")
    summary = county.import_packages(fresh, [packages[1], bad, packages[2]])
    assert [o.result for o in summary.outcomes] == ["imported", "refused", "imported"]
    assert [c.name for c in county.matrix(fresh).received] == [DECHENG, EDUCATION]
