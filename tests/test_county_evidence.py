"""A received package's 佐证材料: one file taken out read-only (core.package.read.extract_member), refused with a
Chinese message for hostile zips with nothing left behind; a cell's items (a link and its screenshot one item);
``county evidence`` listing and --extract."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest

from actions import county, county_evidence
from core.package.read import extract_member, manifest_sha256
from core.package.write import PackageError, PackageEvidence
from tests.county_fixtures import YUECHENG, make_package
from tests.evidence_fixtures import photo

LONG_URL = "https://www.deqing.gov.cn/zwgk/xxgkml/bmxxgkml/xzfb/content/post_1234567.html"
PHOTO = "佐证材料/任务12 办理市府办转来的舆情处置等/12-2 包案会议照片.jpg"
LINK_SHOT = "佐证材料/任务14 县长信箱留言办理工作/14-2 县长信箱栏目.png"


def link_items(folder: Path) -> list[PackageEvidence]:
    """悦城镇's extra items: a link with its screenshot, and a link alone."""
    folder.mkdir(parents=True, exist_ok=True)
    shot = photo(folder / "shot.png", seed=7)
    task = "县长信箱留言办理工作"
    return [PackageEvidence(14, task, "14-2", "县长信箱栏目", shot, ".png", url=LONG_URL, seen_date="2019-12-02"),
            PackageEvidence(14, task, "14-3", "信箱回复公开", None, "", url="http://www.deqing.gov.cn/xx/",
                            seen_date="2019-12-03")]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pk")
    return make_package(folder, YUECHENG, extra=link_items(folder / ".links"))


@pytest.fixture(scope="module")
def parts(package) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(package) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop("manifest.json")), members


def rebuild(out: Path, manifest: dict | bytes, members: dict[str, bytes], *, deflate: bool = False) -> Path:
    """A package from parts; ``manifest`` as bytes: written as they are (the same manifest SHA-256)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", manifest if isinstance(manifest, bytes) else
                    json.dumps(manifest, ensure_ascii=False))
    return out


def listed(manifest: dict, name: str, data: bytes) -> dict:
    """``manifest`` with one more evidence file of task 12 listed (its true size and hash)."""
    entry = {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "kind": "evidence",
             "task": 12, "number": "12-9", "title": "x"}
    return {**manifest, "files": [*manifest["files"], entry]}


def left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_one_member_is_written_read_only_alone_with_its_bytes(package, parts, tmp_path):
    _manifest, members = parts
    out = tmp_path / "view"
    out.mkdir()
    written = extract_member(package, PHOTO, out, manifest_sha256=manifest_sha256(package))
    assert written == out / "12-2 包案会议照片.jpg"
    assert written.read_bytes() == members[PHOTO] and written.read_bytes()[:3] == b"\xff\xd8\xff"
    assert left_in(out) == ["12-2 包案会议照片.jpg"]  # the other five evidence files and the documents: not
    assert stat.S_IMODE(written.stat().st_mode) & 0o222 == 0
    assert not os.access(written, os.W_OK) or os.geteuid() == 0  # root may write anything; the bits say no
    again = extract_member(package, PHOTO, out)  # already there and intact: used as is
    assert again == written and left_in(out) == ["12-2 包案会议照片.jpg"]


def test_a_different_file_of_that_name_is_kept_unless_overwrite(package, parts, tmp_path):
    _manifest, members = parts
    (tmp_path / "12-2 包案会议照片.jpg").write_bytes(b"the clerk's own photo")
    with pytest.raises(FileExistsError):
        extract_member(package, PHOTO, tmp_path)
    assert (tmp_path / "12-2 包案会议照片.jpg").read_bytes() == b"the clerk's own photo"
    extract_member(package, PHOTO, tmp_path, overwrite=True)
    assert (tmp_path / "12-2 包案会议照片.jpg").read_bytes() == members[PHOTO]


@pytest.mark.parametrize(("name", "words"), [
    ("../逃出去.jpg", "含有 ../"),
    ("佐证材料/../../逃出去.jpg", "含有 ../"),
    ("/tmp/逃出去.jpg", "绝对路径"),
    ("C:/Windows/逃出去.jpg", "绝对路径"),
])
def test_a_member_name_leaving_the_folder_is_refused_and_nothing_is_written(parts, tmp_path, name, words):
    manifest, members = parts
    data = b"\xff\xd8\xff evil"
    bad = rebuild(tmp_path / "坏.zip", listed(manifest, name, data), {**members, name: data})
    out = tmp_path / "deep" / "view"
    out.mkdir(parents=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(PackageError, match=words) as info:
        extract_member(bad, name, out)
    assert info.value.message.startswith("报送材料“坏.zip”中的佐证材料不能打开：")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_member_declared_far_larger_than_it_packs_is_refused_before_inflating(parts, tmp_path):
    manifest, members = parts
    data = bytes(64 * 1024 * 1024)  # 64 MB of zeros packs to about 64 KB
    bomb = rebuild(tmp_path / "炸弹.zip", listed(manifest, "佐证材料/炸弹.bin", data),
                   {**members, "佐证材料/炸弹.bin": data}, deflate=True)
    out = tmp_path / "view"
    out.mkdir()
    with pytest.raises(PackageError, match="压缩比异常"):
        extract_member(bomb, "佐证材料/炸弹.bin", out)
    assert left_in(out) == []


def _declare_size(path: Path, member: str, size: int) -> None:
    """Make the zip's local and central headers claim ``size`` for ``member`` (what a forged bomb does)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
        central = zf.start_dir  # type: ignore[attr-defined]
    while data[central:central + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack("<HHH", data[central + 28:central + 34])
        if data[central + 46:central + 46 + n].decode("utf-8") == member:
            break
        central += 46 + n + m + k
    data[info.header_offset + 22:info.header_offset + 26] = struct.pack("<I", size)
    data[central + 24:central + 28] = struct.pack("<I", size)
    path.write_bytes(bytes(data))


def test_a_member_inflating_far_past_its_declared_size_is_refused_and_nothing_is_left(parts, tmp_path):
    manifest, members = parts
    data = bytes(32 * 1024 * 1024)
    small = data[:4000]  # what the headers and the manifest will claim
    bomb = rebuild(tmp_path / "炸弹.zip", listed(manifest, "佐证材料/炸弹.bin", small),
                   {**members, "佐证材料/炸弹.bin": data}, deflate=True)
    _declare_size(bomb, "佐证材料/炸弹.bin", len(small))
    out = tmp_path / "view"
    out.mkdir()
    with pytest.raises(PackageError, match=r"“佐证材料/炸弹\.bin”已损坏，无法读取"):
        extract_member(bomb, "佐证材料/炸弹.bin", out)
    assert left_in(out) == []  # not even the part file


def test_a_member_listed_but_missing_from_the_zip_is_refused(parts, tmp_path):
    manifest, members = parts
    gone = rebuild(tmp_path / "缺.zip", manifest, {n: d for n, d in members.items() if n != PHOTO})
    with pytest.raises(PackageError, match=f"“{PHOTO}”列在清单中，但压缩包里没有"):
        extract_member(gone, PHOTO, tmp_path)
    assert left_in(tmp_path) == ["缺.zip"]
    with pytest.raises(PackageError, match="不在清单中"):
        extract_member(gone, "佐证材料/没有这个.jpg", tmp_path)


def test_a_member_changed_since_the_manifest_is_refused_and_nothing_is_left(package, parts, tmp_path):
    _manifest, members = parts
    changed = bytearray(members[PHOTO])
    changed[-10] ^= 0xFF  # same size, other bytes
    with zipfile.ZipFile(package) as zf:
        raw = zf.read("manifest.json")
    bent = rebuild(tmp_path / "改过.zip", raw, {**members, PHOTO: bytes(changed)})
    assert manifest_sha256(bent) == manifest_sha256(package)  # the manifest itself is untouched
    out = tmp_path / "view"
    out.mkdir()
    with pytest.raises(PackageError, match="与清单中的校验值不符（文件已被改动或损坏）") as info:
        extract_member(bent, PHOTO, out, manifest_sha256=manifest_sha256(package))
    assert "改过.zip" in info.value.message and PHOTO in info.value.message
    assert left_in(out) == []


def test_another_package_than_the_one_imported_is_refused(parts, tmp_path, package):
    manifest, members = parts
    other = rebuild(tmp_path / "另一份.zip", {**manifest, "created_at": "2019-12-04T17:00:00"}, members)
    with pytest.raises(PackageError, match="已不是导入时的那一份报送材料"):
        extract_member(other, PHOTO, tmp_path, manifest_sha256=manifest_sha256(package))


# --- a cell's items, the actions ------------------------------------------------------------------
def test_a_cell_s_items_pair_a_link_with_its_screenshot(session, package, tmp_path):
    county.import_packages(session, [package], today=date(2019, 12, 10))
    d = county.cell_detail(session, YUECHENG, 14)
    items = county_evidence.entries(d.evidence)
    assert [(e.number, e.title, e.file_name, e.url, e.seen_date) for e in items] == [
        ("14-1", "县长信箱回复截图", "14-1 县长信箱回复截图.jpg", "", ""),
        ("14-2", "县长信箱栏目", "14-2 县长信箱栏目.png", LONG_URL, "2019-12-02"),
        ("14-3", "信箱回复公开", "14-3 信箱回复公开.url", "http://www.deqing.gov.cn/xx/", "2019-12-03")]
    assert items[2].file is None and items[2].size_text == "" and items[1].size_text.endswith("KB")
    temp = tmp_path / "temp"
    temp.mkdir()
    view = county_evidence.ViewFolder(temp)
    opened = county_evidence.open_entry(package, d.package, items[1], view.for_package(d.package.id))
    assert opened.parent.parent == view.path and opened.parent.parent.parent == temp
    with zipfile.ZipFile(package) as zf:
        assert opened.read_bytes() == zf.read(LINK_SHOT)
    with pytest.raises(county.ActionError, match="只有网址，没有文件"):
        county_evidence.open_entry(package, d.package, items[2], view.for_package(d.package.id))
    view.close()
    assert not opened.exists() and list(temp.iterdir()) == []


def test_the_zip_is_found_by_its_manifest_not_its_name(session, package, parts, tmp_path):
    county.import_packages(session, [package], today=date(2019, 12, 10))
    pkg = county.cell_detail(session, YUECHENG, 12).package
    moved = tmp_path / "改了名字.zip"
    moved.write_bytes(package.read_bytes())
    assert county_evidence.find_package(pkg, [tmp_path]) is None  # its own name is not there
    assert county_evidence.find_package(pkg, [tmp_path / "nowhere", moved]) == moved
    manifest, members = parts
    (tmp_path / package.name).write_bytes(b"PK not a zip")
    assert county_evidence.find_package(pkg, [tmp_path, package.parent]) == package
    (tmp_path / "x").mkdir()
    other = rebuild(tmp_path / "x" / package.name, {**manifest, "app_version": "9"}, members)  # same name
    assert county_evidence.find_package(pkg, [other, tmp_path / "x"]) is None


# --- the command line -------------------------------------------------------------------------------
def run_main(capsys, *args: str) -> tuple[int, str, str]:
    from main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def drop_kept_copies(data_dir: Path) -> None:
    """As for a package imported before the import kept a copy of it."""
    for kept in (data_dir / "received").glob("*.zip"):
        kept.chmod(0o644)
        kept.unlink()


def test_county_evidence_lists_and_extracts(data_dir, capsys, package, tmp_path, monkeypatch):
    assert run_main(capsys, "county", "import", str(package))[0] == 0
    drop_kept_copies(data_dir)  # the old places: --package, the current folder
    code, out, _ = run_main(capsys, "county", "evidence", "--office", YUECHENG, "--task", "14")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[1].split("\t")[0:3] == ["14-2", "县长信箱栏目", "14-2 县长信箱栏目.png"]
    assert lines[1].split("\t")[4:] == ["2019-12-02", LONG_URL]
    code, out, _ = run_main(capsys, "county", "evidence", "--office", YUECHENG, "--task", "12", "--json")
    assert [(i["number"], i["file_name"]) for i in json.loads(out)] == [
        ("12-1", "12-1 留言办理台账.pdf"), ("12-2", "12-2 包案会议照片.jpg")]
    out_dir = tmp_path / "取出"
    out_dir.mkdir()
    monkeypatch.chdir(tmp_path)  # the zip is not in the current folder
    code, _, err = run_main(capsys, "county", "evidence", "--office", YUECHENG, "--task", "12",
                            "--extract", str(out_dir))
    assert code == 2 and "找不到悦城镇报告日期为 2019-12-04 的报送材料“悦城镇_2019-12-04.zip”" in err
    assert "--package" in err and left_in(out_dir) == []
    code, _, err = run_main(capsys, "county", "evidence", "--office", YUECHENG, "--task", "12",
                            "--extract", str(out_dir), "--package", str(package.parent))
    assert code == 0 and "共取出 2 个文件" in err
    assert left_in(out_dir) == ["12-1 留言办理台账.pdf", "12-2 包案会议照片.jpg"]
    with zipfile.ZipFile(package) as zf:
        assert (out_dir / "12-2 包案会议照片.jpg").read_bytes() == zf.read(PHOTO)
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o222 == 0 for p in out_dir.iterdir())
    (out_dir / "12-1 留言办理台账.pdf").chmod(0o644)
    (out_dir / "12-1 留言办理台账.pdf").write_bytes(b"%PDF- the clerk's own")
    code, _, err = run_main(capsys, "county", "evidence", "--office", YUECHENG, "--task", "12",
                            "--extract", str(out_dir), "--package", str(package))
    assert code == 2 and "已有同名的另一个文件“12-1 留言办理台账.pdf”，为免覆盖没有取出" in err
    assert (out_dir / "12-1 留言办理台账.pdf").read_bytes() == b"%PDF- the clerk's own"
    code, _, err = run_main(capsys, "county", "evidence", "--office", "新圩镇", "--task", "12")
    assert code == 2 and "还没有导入新圩镇的报送材料" in err

