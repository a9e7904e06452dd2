"""read_package: the county imports these, so every tampering is refused with a message naming the file."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.package.read import read_package
from core.package.write import PackageError, PackageEvidence, write_package
from tests.evidence_fixtures import pdf, photo
from tests.package_fixtures import OFFICE, REPORT_DATE, documents
from tests.report_fixtures import real_plan


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[dict, dict[str, bytes]]:
    """A real package's manifest and members, to tamper with."""
    folder = tmp_path_factory.mktemp("base")
    items = [PackageEvidence(12, "市长留言办理", "12-1", "会议照片", photo(folder / "a.jpg"), ".jpg"),
             PackageEvidence(13, "代表委员意见建议办理", "13-1", "通知", pdf(folder / "b.pdf"), ".pdf")]
    plan = real_plan()
    info = write_package(folder / "p.zip", OFFICE, plan.title, plan.year, REPORT_DATE, evidence=items,
                         now=datetime(2019, 12, 4, 16, 30), **documents())
    with zipfile.ZipFile(info.path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop("manifest.json")), members


def build(path: Path, manifest: object, members: dict[str, bytes], extra: tuple = (),
          compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in [*members.items(), *extra]:
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False) if not isinstance(manifest, bytes)
                    else manifest)
    return path


def copy_manifest(manifest: dict) -> dict:
    return json.loads(json.dumps(manifest))


def test_untouched_package_is_accepted(base, tmp_path):
    manifest, members = base
    pkg = read_package(build(tmp_path / "ok.zip", manifest, members))
    assert (pkg.office, pkg.plan_title, pkg.report_date) == (OFFICE, real_plan().title, "2019-12-04")
    assert [f.path for f in pkg.evidence] == ["佐证材料/任务12 市长留言办理/12-1 会议照片.jpg",
                                              "佐证材料/任务13 代表委员意见建议办理/13-1 通知.pdf"]


def _with_path(manifest: dict, members: dict[str, bytes], new: str) -> tuple[dict, dict[str, bytes]]:
    """Rename the photo to ``new`` in both the manifest and the zip (a consistent but hostile package)."""
    m = copy_manifest(manifest)
    old = "佐证材料/任务12 市长留言办理/12-1 会议照片.jpg"
    for f in m["files"]:
        if f["path"] == old:
            f["path"] = new
    files = {(new if k == old else k): v for k, v in members.items()}
    return m, files


@pytest.mark.parametrize(("new", "message"), [
    ("../../Windows/System32/evil.jpg", "../"),
    ("佐证材料/../../evil.jpg", "../"),
    ("/etc/cron.d/evil", "绝对路径"),
    ("C:/Users/Public/evil.jpg", "绝对路径"),
    ("佐证材料\\..\\evil.jpg", "Windows 不允许的字符"),
    ("佐证材料//12-1.jpg", "空的部分"),
    ("佐证材料/任务12 /12-1.jpg", "以点或空格结尾"),
    ("佐证材料/照片\u202egpj.exe", "不可见字符"),
    ("悦城镇_落实情况报告.PDF", "重复"),
])
def test_hostile_names_are_refused(base, tmp_path, new, message):
    manifest, members = base
    m, files = _with_path(manifest, members, new)
    with pytest.raises(PackageError, match=message) as info:
        read_package(build(tmp_path / "bad.zip", m, files))
    assert "bad.zip" in info.value.message


def test_every_tampering_is_refused_naming_the_file(base, tmp_path):
    manifest, members = base
    photo_name = "佐证材料/任务12 市长留言办理/12-1 会议照片.jpg"
    cases = []
    altered = dict(members)
    altered[photo_name] = b"\x00" + members[photo_name][1:]
    cases.append((manifest, altered, (), f"“{photo_name}”与清单中的校验值不符"))
    cases.append((manifest, members, (("说明.txt", b"extra"),), "“说明.txt”不在清单中"))
    fewer = {k: v for k, v in members.items() if k != photo_name}
    cases.append((manifest, fewer, (), f"“{photo_name}”列在清单中，但压缩包里没有"))
    m = copy_manifest(manifest)
    m["files"][0]["size"] += 1
    cases.append((m, members, (), "“悦城镇_落实情况报告.pdf”的大小与清单不符"))
    m = copy_manifest(manifest)
    m["version"] = 2
    cases.append((m, members, (), "更新版本"))
    m = copy_manifest(manifest)
    m["format"] = "something-else"
    cases.append((m, members, (), "不是落实台账的报送材料"))
    cases.append((b"{not json", members, (), "不是有效的 JSON"))
    m = copy_manifest(manifest)
    m["files"] = [f for f in m["files"] if f["kind"] != "progress"]
    cases.append((m, {k: v for k, v in members.items() if not k.endswith(".json")}, (), "progress"))
    for i, (man, files, extra, message) in enumerate(cases):
        with pytest.warns(UserWarning) if extra and extra[0][0] in files else _nothing():
            path = build(tmp_path / f"case{i}.zip", man, files, extra)
        with pytest.raises(PackageError) as info:
            read_package(path)
        assert message in info.value.message, (i, info.value.message)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_duplicate_members_not_a_zip_and_a_zip_bomb(base, tmp_path):
    manifest, members = base
    with pytest.warns(UserWarning, match="Duplicate name"):
        dup = build(tmp_path / "dup.zip", manifest, members, (("目录.xlsx", members["目录.xlsx"]),))
    with pytest.raises(PackageError, match=re.escape("“目录.xlsx”在压缩包中出现了两次")):
        read_package(dup)
    junk = tmp_path / "报送材料.zip"
    junk.write_bytes(b"PK\x03\x04 but not really a zip")
    with pytest.raises(PackageError, match=re.escape("“报送材料.zip”不是有效的压缩包")):
        read_package(junk)
    bomb = b"\x00" * (64 * 1024 * 1024)
    m = copy_manifest(manifest)
    m["files"].append({"path": "佐证材料/任务12 市长留言办理/12-9 录像.mp4", "size": len(bomb),
                       "sha256": hashlib.sha256(bomb).hexdigest(), "kind": "evidence", "task": 12})
    path = build(tmp_path / "bomb.zip", m, members, (("佐证材料/任务12 市长留言办理/12-9 录像.mp4", bomb),),
                 zipfile.ZIP_DEFLATED)
    with pytest.raises(PackageError, match="压缩比异常"):
        read_package(path)


# --- hypothesis over the manifest's fields ---------------------------------------------------------
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=6)
NAMES = st.sampled_from(["../x", "/x", "a/../b", "C:/x", "a\\b", "a:b", "a/", "", ".", "x.", "x ", "目录.xlsx",
                         "MANIFEST.JSON", "manifest.json", "佐证材料/任务12/12-1 a.jpg"]) | st.text(max_size=30)


def _field(valid: object) -> st.SearchStrategy:
    return st.one_of(st.just(valid), JSON)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_read_package_accepts_only_what_it_can_vouch_for(base, data):
    manifest, members = base
    m = copy_manifest(manifest)
    for key in ("format", "version", "office", "plan_title", "plan_year", "report_date", "created_at",
                "app_version"):
        if data.draw(st.booleans(), label=f"mutate {key}"):
            m[key] = data.draw(_field(m[key]), label=key)
    if data.draw(st.booleans(), label="mutate files"):
        i = data.draw(st.integers(0, len(m["files"]) - 1), label="file")
        key = data.draw(st.sampled_from(["path", "size", "sha256", "kind", "task", "number"]), label="file key")
        m["files"][i][key] = data.draw(NAMES if key == "path" else _field(m["files"][i].get(key)), label="value")
    if data.draw(st.booleans(), label="drop a key"):
        m.pop(data.draw(st.sampled_from(sorted(m)), label="dropped"), None)
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp) / "p.zip", m, members)
        try:
            pkg = read_package(path)
        except PackageError as exc:
            event("refused")
            assert exc.message.startswith(("报送材料“p.zip”不能导入", "“p.zip”")), exc.message
            return
    event("accepted")
    # Accepted: then it is exactly the manifest, and every name stays inside the folder.
    assert (pkg.office, pkg.plan_title, pkg.plan_year, pkg.report_date) == (
        m["office"], m["plan_title"], m["plan_year"], m["report_date"])
    assert [f.path for f in pkg.files] == [f["path"] for f in m["files"]] == list(members)
    for f in pkg.files:
        assert ".." not in f.path.split("/") and not f.path.startswith("/") and ":" not in f.path
        assert hashlib.sha256(members[f.path]).hexdigest() == f.sha256
