"""Reading a submission package (the county side imports these): trust nothing in it.

:func:`read_package` checks the manifest's fields, every name (no ``../``, no absolute or drive paths,
no characters Windows refuses, no duplicates even as Windows compares names), that the zip holds
exactly the files listed, the sizes before anything is inflated, and every file's SHA-256. It
refuses with a message naming the file; it never extracts anything. :func:`extract_member` takes one listed
file out (the 汇总 window opens a cell's 佐证材料 this way) after the same checks of that file alone.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from core.package.write import FORMAT, KIND_LABELS, KINDS, MANIFEST_NAME, VERSION, PackageError, PackageFile
from core.progress.file import MAX_FILE_BYTES as MAX_PROGRESS_BYTES
from core.text_safety import escape_for_terminal

MAX_MEMBERS = 20_000
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 ** 3
MAX_RATIO = 200  # inflated / compressed beyond this for a member: a zip bomb
RATIO_FLOOR = 64 * 1024  # members smaller than this may compress better (a page of JSON); the sum still counts
MAX_TOTAL_RATIO = 100  # all members' declared sizes against the zip's own size
MAX_PATH_CHARS = 400
MAX_DAYS_AHEAD = 1  # a package dated later than tomorrow has a wrong clock: refused
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_STAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
                        r"([+-][0-9]{2}:[0-9]{2})?$")
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what our writer uses; anything else is refused
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_WINDOWS_REFUSED = set('<>:"|?*\\')
_ONE_EACH = ("report_pdf", "report_docx", "ledger_xlsx", "progress", "index")
_REQUIRED = ("report_pdf", "progress")


@dataclass(frozen=True)
class Package:
    path: Path
    office: str
    plan_title: str
    plan_year: int
    report_date: str
    created_at: str
    app_version: str
    files: tuple[PackageFile, ...]

    def file(self, kind: str) -> PackageFile | None:
        return next((f for f in self.files if f.kind == kind), None)

    @property
    def evidence(self) -> tuple[PackageFile, ...]:
        return tuple(f for f in self.files if f.kind in ("evidence", "evidence_link"))

    def read(self, member: str) -> bytes:
        """One listed file's bytes, checked again against the manifest."""
        entry = next((f for f in self.files if f.path == member), None)
        if entry is None:
            raise PackageError(f"报送材料中没有 {member}", self.path)
        with zipfile.ZipFile(self.path) as zf:
            data = zf.read(member)
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            raise PackageError(f"{member} 与清单不符（文件已被改动）", self.path)
        return data


def _fail(name: str, why: str, path: Path) -> PackageError:
    sep = " " if name[-1:].isascii() else ""  # manifest.json 的… but 压缩包的…, “x”的…
    return PackageError(f"报送材料“{path.name}”不能导入：{name}{sep}{why}", path)


#: The manifest's keys as the clerk reads them in a message.
_WORDS = {"office": "报送单位", "plan_title": "方案名称", "plan_year": "方案年度", "report_date": "报告日期",
          "created_at": "生成时间", "app_version": "程序版本", "version": "格式版本", "size": "大小",
          "task": "任务编号", "number": "编号", "title": "标题", "url": "网址", "seen_date": "日期"}


def _word(key: str) -> str:
    return _WORDS.get(key, key)


def _text(value: Any, key: str, path: Path, max_chars: int, *, empty: bool = False) -> str:
    """``key``: a manifest key (said in words) or words already."""
    if not isinstance(value, str):
        raise _fail(MANIFEST_NAME, f"的{_word(key)}应为文字", path)
    if (not value.strip() and not empty) or len(value) > max_chars:
        raise _fail(MANIFEST_NAME, f"的{_word(key)}为空或过长", path)
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t" for ch in value):
        raise _fail(MANIFEST_NAME, f"的{_word(key)}含有控制字符", path)
    return value


def _int(value: Any, key: str, path: Path, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(MANIFEST_NAME, f"的{_word(key)}应为 {low} 到 {high} 之间的整数", path)
    return value


def check_member_name(name: Any, path: Path) -> str:
    """A relative path with / separators that stays inside the folder on every system."""
    if not isinstance(name, str) or not name or len(name) > MAX_PATH_CHARS:
        raise _fail(MANIFEST_NAME, "中有空的或过长的文件名", path)
    shown = name[:80].encode("utf-8", "replace").decode("utf-8")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in name):
        raise _fail(f"“{shown!r}”", "的文件名含有控制字符或不可见字符", path)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise _fail(f"“{shown}”", "是绝对路径，会写到文件夹之外", path)
    if any(ch in _WINDOWS_REFUSED for ch in name):
        raise _fail(f"“{shown}”", "的文件名含有 Windows 不允许的字符（\\ : * ? \" < > |）", path)
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise _fail(f"“{shown}”", "的路径含有 ../ 或空的部分，会写到文件夹之外", path)
    if any(p != p.rstrip(". ") for p in parts):
        raise _fail(f"“{shown}”", "的文件名以点或空格结尾（Windows 不允许）", path)
    return name


def _entry(raw: Any, path: Path) -> PackageFile:
    if not isinstance(raw, dict):
        raise _fail(MANIFEST_NAME, "的文件列表中有格式不对的条目", path)
    name = check_member_name(raw.get("path"), path)
    if name == MANIFEST_NAME:
        raise _fail(MANIFEST_NAME, "不应列出它自己", path)
    sha = raw.get("sha256")
    if not isinstance(sha, str) or not _HEX64.match(sha):
        raise _fail(f"“{name}”", "的校验值（SHA-256）格式不对", path)
    size = _int(raw.get("size"), f"“{name}”的大小", path, 0, MAX_MEMBER_BYTES)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(f"“{name}”", f"的类别未知：{str(kind)[:40]}", path)
    task = raw.get("task")
    if task is not None:
        task = _int(task, f"“{name}”的任务编号", path, 1, 100_000)
    if kind in ("evidence", "evidence_link") and task is None:
        raise _fail(f"“{name}”", "是佐证材料，但没有任务编号", path)
    extra = {k: _text(raw.get(k, ""), f"“{name}”的{_word(k)}", path, 2000, empty=True)
             for k in ("number", "title", "url", "seen_date")}
    return PackageFile(name, size, sha, kind, task, **extra)


def _manifest_bytes(zf: zipfile.ZipFile, path: Path) -> bytes:
    try:
        info = zf.getinfo(MANIFEST_NAME)
    except KeyError:
        raise PackageError(f"“{path.name}”不是落实台账的报送材料（缺少 {MANIFEST_NAME}）", path) from None
    _check_stored_form(info, MANIFEST_NAME, path)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _fail(MANIFEST_NAME, "过大", path)
    try:
        return _read_capped(zf, info, MAX_MANIFEST_BYTES)
    except Exception as exc:  # BadZipFile, zlib.error, EOFError…: a damaged stream
        raise _fail(MANIFEST_NAME, f"已损坏，无法读取（{type(exc).__name__}）", path) from None


def _manifest(zf: zipfile.ZipFile, path: Path, raw: bytes | None = None) -> dict:
    """The manifest's fields (format and version checked); ``raw``: its bytes when already read."""
    raw = _manifest_bytes(zf, path) if raw is None else raw
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _fail(MANIFEST_NAME, "不是有效的 JSON 文件（可能已损坏）", path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PackageError(f"“{path.name}”不是落实台账的报送材料（清单格式不对）", path)
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise PackageError(f"“{path.name}”由更新版本的落实台账生成（格式版本 {version}），请升级后再导入", path)
    _int(version, "version", path, 1, VERSION)
    return data


def _check_stored_form(info: zipfile.ZipInfo, name: str, path: Path) -> None:
    """Encrypted or packed other than our writer packs: refused before anything is read."""
    shown = f"“{escape_for_terminal(name[:80])}”"
    if info.flag_bits & 0x1:
        raise _fail(shown, "已加密（设有密码），无法核对。请该单位重新生成报送材料，不要加密", path)
    if info.compress_type not in _COMPRESSIONS:
        raise _fail(shown, f"使用了本程序不支持的压缩方式（编号 {info.compress_type}），"
                           "请该单位用本程序重新生成报送材料，不要另行压缩", path)
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _fail(shown, "的压缩比异常（可能是压缩炸弹）", path)


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than ``limit`` of them (the declared size may lie)."""
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError("larger than declared")
    return data


def _check_members(zf: zipfile.ZipFile, files: list[PackageFile], path: Path) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _fail("压缩包", f"中的文件过多（{len(infos)} 个）", path)
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in members:
            raise _fail(f"“{info.filename[:80]}”", "在压缩包中出现了两次", path)
        members[info.filename] = info
    listed = {f.path for f in files}
    extra = [n for n, i in members.items() if n not in listed and n != MANIFEST_NAME and not
             (i.is_dir() and i.file_size == 0 and any(p.startswith(n) for p in listed))]
    if extra:
        raise _fail(f"“{extra[0][:80]}”", "不在清单中（多出的文件）", path)
    missing = [n for n in listed if n not in members]
    if missing:
        raise _fail(f"“{missing[0]}”", "列在清单中，但压缩包里没有", path)
    for f in files:
        info = members[f.path]
        if info.file_size != f.size:
            raise _fail(f"“{f.path}”", f"的大小与清单不符（{info.file_size} ≠ {f.size}）", path)
        _check_stored_form(info, f.path, path)
        if f.kind == "progress" and f.size > MAX_PROGRESS_BYTES:
            raise _fail(f"“{f.path}”", f"是进度数据，却有 {f.size / 1024 / 1024:,.0f} MB（进度数据最大 "
                                       f"{MAX_PROGRESS_BYTES // 1024 // 1024} MB），不像是本程序生成的", path)
    return members


def _check_total(infos: list[zipfile.ZipInfo], path: Path) -> None:
    """Every member's declared size counts, listed or not: many modest members can be a bomb too."""
    if len(infos) > MAX_MEMBERS:
        raise _fail("压缩包", f"中的文件过多（{len(infos)} 个）", path)
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise _fail("压缩包", f"解压后过大（{total / 1024 ** 3:,.1f} GB，上限 {MAX_TOTAL_BYTES // 1024 ** 3} GB）",
                    path)
    try:
        packed = path.stat().st_size
    except OSError:
        packed = sum(i.compress_size for i in infos)
    if total > RATIO_FLOOR and total > MAX_TOTAL_RATIO * max(packed, 1):
        raise _fail("压缩包", f"的压缩比异常：{packed / 1024 / 1024:,.1f} MB 的文件解压后有 "
                            f"{total / 1024 / 1024:,.0f} MB（可能是压缩炸弹）", path)


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise PackageError(f"找不到文件“{path.name}”", path) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageError(f"“{path.name}”不是有效的压缩包或已损坏（{exc}）", path) from None


def read_package(path: Path, today: date | None = None) -> Package:
    """Open and verify a package; raises PackageError naming the file at the first problem.

    ``today`` (default: the clock's) is what the manifest's dates may not run ahead of by more than a day.
    """
    path = Path(path)
    with _open_zip(path) as zf:
        _check_total(zf.infolist(), path)  # from the central directory, before anything is inflated
        data = _manifest(zf, path)
        office = _text(data.get("office"), "office", path, 100)
        plan_title = _text(data.get("plan_title"), "plan_title", path, 500)
        plan_year = _int(data.get("plan_year"), "plan_year", path, 1990, 2200)
        report_date = _report_date(data.get("report_date"), path, today)
        created_at = _created_at(data.get("created_at"), path, today)
        app_version = _text(data.get("app_version"), "app_version", path, 40)
        raw_files = data.get("files")
        if not isinstance(raw_files, list) or len(raw_files) > MAX_MEMBERS:
            raise _fail(MANIFEST_NAME, "的文件列表格式不对", path)
        files = [_entry(raw, path) for raw in raw_files]
        folded: set[str] = set()
        for f in files:
            key = unicodedata.normalize("NFC", f.path).casefold()
            if key in folded:
                raise _fail(f"“{f.path}”", "在清单中重复（Windows 不区分大小写）", path)
            folded.add(key)
        for kind in _ONE_EACH:
            count = sum(f.kind == kind for f in files)
            if count > 1 or (kind in _REQUIRED and count == 0):
                raise _fail(MANIFEST_NAME, f"中应有且只有一个“{KIND_LABELS[kind]}”文件（实际 {count} 个）", path)
        members = _check_members(zf, files, path)
        for f in files:
            _verify(zf, members[f.path], f, path)
    return Package(path, office, plan_title, plan_year, report_date, created_at, app_version, tuple(files))


def _report_date(value: Any, path: Path, today: date | None) -> str:
    """YYYY-MM-DD exactly (fromisoformat alone also takes 20191204 and 2019-W49-3), not after tomorrow."""
    text = _text(value, "report_date", path, 10)
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise _fail(MANIFEST_NAME, f"的报告日期格式不对：{escape_for_terminal(text)}（应为 2019-12-04 这样的年-月-日）",
                    path) from None
    _not_ahead(day, "报告日期", text, path, today)
    return text


def _created_at(value: Any, path: Path, today: date | None) -> str:
    text = _text(value, "created_at", path, 40)
    try:
        if not _ISO_STAMP.match(text):
            raise ValueError(text)
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(MANIFEST_NAME, f"的生成时间格式不对：{escape_for_terminal(text)}（应为 2019-12-04T16:30:00）",
                    path) from None
    _not_ahead(stamp.date(), "生成时间", text, path, today)
    return text


def _not_ahead(day: date, what: str, text: str, path: Path, today: date | None) -> None:
    """A date later than tomorrow comes from a wrong clock; kept, it would stay the office's newest for good."""
    today = today or date.today()
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise _fail(MANIFEST_NAME, f"的{what}是 {text}，晚于今天（{today.isoformat()}）。生成它的电脑日期可能设错了，"
                                   "请该单位改正电脑日期后重新生成", path)


def _verify(zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: PackageFile, path: Path,
            out: BinaryIO | None = None) -> None:
    """Inflate one member against its manifest entry (never more than its listed size), into ``out`` if given.

    A damaged stream or a wrong size or hash is a PackageError; a failing write to ``out`` stays an OSError.
    """
    h, size = hashlib.sha256(), 0
    try:
        fh = zf.open(info)
    except Exception as exc:  # BadZipFile, zlib.error, OSError…: a damaged header
        raise _fail(f"“{entry.path}”", f"已损坏，无法读取（{type(exc).__name__}）", path) from None
    with fh:
        while True:
            try:
                chunk = fh.read(1024 * 1024)
            except Exception as exc:  # BadZipFile, zlib.error, EOFError…: a damaged stream
                raise _fail(f"“{entry.path}”", f"已损坏，无法读取（{type(exc).__name__}）", path) from None
            if not chunk:
                break
            size += len(chunk)
            if size > entry.size:
                raise _fail(f"“{entry.path}”", "比清单写的大", path)
            h.update(chunk)
            if out is not None:
                out.write(chunk)
    if size != entry.size or h.hexdigest() != entry.sha256:
        raise _fail(f"“{entry.path}”", "与清单中的校验值不符（文件已被改动或损坏）", path)


def manifest_sha256(path: Path) -> str:
    """The SHA-256 of a package's ``manifest.json`` (what identifies a received package); PackageError if
    the zip or its manifest cannot be read."""
    path = Path(path)
    with _open_zip(path) as zf:
        _check_total(zf.infolist(), path)
        return hashlib.sha256(_manifest_bytes(zf, path)).hexdigest()


def extract_member(path: Path, member: str, folder: Path, *, manifest_sha256: str | None = None,
                   overwrite: bool = False) -> Path:
    """Take one file the manifest lists out of the package at ``path`` into ``folder``, read-only.

    The checks :func:`read_package` makes, for that file alone: the zip's declared sizes, the manifest, the
    member's name (no ``../``, no absolute path), its listing, its packing and compression ratio, then its size
    and SHA-256 while it is written (to a temporary file, renamed only when it matched). ``manifest_sha256``:
    the manifest must be that one (the package as imported). The file keeps the member's last name part; one
    already there with the right bytes is used as is, another is replaced only when ``overwrite`` (else
    FileExistsError). PackageError (naming the file) on any refusal, and nothing is left in ``folder``; an
    OSError writing there goes through.
    """
    path, folder = Path(path), Path(folder)
    try:
        return _extract(path, member, folder, manifest_sha256, overwrite)
    except PackageError as exc:
        said = exc.message.replace(f"报送材料“{path.name}”不能导入：",
                                   f"报送材料“{path.name}”中的佐证材料不能打开：", 1)
        raise PackageError(said, path) from None


def _extract(path: Path, member: str, folder: Path, expected_manifest: str | None, overwrite: bool) -> Path:
    check_member_name(member, path)
    target = folder / member.rsplit("/", 1)[-1]
    with _open_zip(path) as zf:
        _check_total(zf.infolist(), path)  # before anything is inflated
        raw = _manifest_bytes(zf, path)
        if expected_manifest is not None and hashlib.sha256(raw).hexdigest() != expected_manifest:
            raise PackageError(f"“{path.name}”已不是导入时的那一份报送材料（其中的清单变了），不能从中打开佐证材料。"
                               "请重新导入该单位的报送材料", path)
        raw_files = _manifest(zf, path, raw).get("files")
        if not isinstance(raw_files, list) or len(raw_files) > MAX_MEMBERS:
            raise _fail(MANIFEST_NAME, "的文件列表格式不对", path)
        listed = next((r for r in raw_files if isinstance(r, dict) and r.get("path") == member), None)
        if listed is None:
            raise _fail(f"“{member}”", "不在清单中", path)
        entry = _entry(listed, path)
        try:
            info = zf.getinfo(member)
        except KeyError:
            raise _fail(f"“{member}”", "列在清单中，但压缩包里没有", path) from None
        if info.file_size != entry.size:
            raise _fail(f"“{member}”", f"的大小与清单不符（{info.file_size} ≠ {entry.size}）", path)
        _check_stored_form(info, member, path)
        if _intact(target, entry):
            return target
        there = target.exists() or target.is_symlink()
        if there and not overwrite:
            raise FileExistsError(errno.EEXIST, "a different file of that name is there", str(target))
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                _verify(zf, info, entry, path, out)
            if there:
                if not target.is_symlink():  # a link is removed, never followed
                    target.chmod(stat.S_IREAD | stat.S_IWRITE)  # read-only: Windows refuses to delete it
                target.unlink()
            os.replace(tmp, target)
            tmp = ""
        finally:
            if tmp:
                os.unlink(tmp)
    target.chmod(stat.S_IREAD | stat.S_IRGRP | stat.S_IROTH)  # on Windows: the read-only attribute
    return target


def _intact(target: Path, entry: PackageFile) -> bool:
    """``target`` is a plain file holding exactly the entry's bytes (opened before: the viewer may hold it)."""
    try:
        if target.is_symlink() or not target.is_file() or target.stat().st_size != entry.size:
            return False
        h = hashlib.sha256()
        with open(target, "rb") as fh:
            while chunk := fh.read(1024 * 1024):
                h.update(chunk)
    except OSError:
        return False
    return h.hexdigest() == entry.sha256
