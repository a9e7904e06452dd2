"""The submission package (报送材料): one zip for the U盘 holding the report, the 台账, the progress file,
the 佐证材料 in one folder per task, a 目录 and ``manifest.json`` with every file's size and SHA-256.

Layout of 悦城镇_政务公开落实情况_2019-12-04.zip::

    悦城镇_落实情况报告.pdf / .docx
    悦城镇_落实情况台账.xlsx
    悦城镇_进度数据.json                      (taizhang-progress v1)
    佐证材料/任务12 市长留言办理/12-1 会议照片.jpg
    佐证材料/任务14 县长信箱/14-1 县长信箱栏目.url   (a web link; its screenshot beside it)
    目录.xlsx
    manifest.json                            (taizhang-package v1)

Names are UTF-8 flagged (zipfile sets bit 0x800 for non-ASCII names), so Windows Explorer shows the
Chinese. The zip is written to a temporary file beside the target, fsynced and renamed: a pulled
stick leaves no half zip under the final name. No Qt, no database: the caller passes bytes and paths.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from core.atomic import RENAME_WHILE_OPEN, fsync_dir, open_partial
from core.evidence_rules import safe_file_name, safe_suffix
from core.model import Progress, Status
from core.sheets.words import is_slow
from core.sizes import over_limit
from core.tracking import Standing
from core.xlsx_safe import put_row

FORMAT = "taizhang-package"
VERSION = 1
WARN_PACKAGE_BYTES = 2 * 1024 ** 3
EVIDENCE_ROOT = "佐证材料"
INDEX_NAME = "目录.xlsx"
MANIFEST_NAME = "manifest.json"
KINDS = ("report_pdf", "report_docx", "ledger_xlsx", "progress", "evidence", "evidence_link", "index")
KIND_LABELS = {"report_pdf": "落实情况报告（PDF）", "report_docx": "落实情况报告（Word）",
               "ledger_xlsx": "落实情况台账", "progress": "进度数据（taizhang-progress）", "evidence": "佐证材料",
               "evidence_link": "佐证材料（网页链接）", "index": "目录"}
_STORED_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp4", ".mov", ".avi", ".mp3", ".m4a",
                    ".zip", ".rar", ".7z", ".gz", ".docx", ".xlsx", ".pptx", ".ofd"}
_CHUNK = 1024 * 1024
_ENTRY_OVERHEAD = 300  # local header + central directory entry, generously


class PackageError(Exception):
    """The package could not be written or read; the message (Chinese) names the file."""

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class PackageTooLarge(PackageError):
    """Over 2 GB: ask the clerk, then write again with ``allow_large=True``."""

    def __init__(self, message: str, estimate: int) -> None:
        super().__init__(message)
        self.estimate = estimate


class PackageEvidence(NamedTuple):
    """One evidence item for the package (plain tuple order: task, task name, number, title, source, suffix)."""

    task: int
    task_name: str  # short name of the task: 市长留言办理
    number: str  # 12-1
    title: str
    source: Path | None  # the stored file; None for a link without screenshot
    suffix: str  # the original file's suffix, .jpg
    sha256: str = ""  # when given, the copy is checked against it
    url: str = ""
    seen_date: str = ""


@dataclass(frozen=True)
class PackageFile:
    path: str
    size: int
    sha256: str
    kind: str
    task: int | None = None
    number: str = ""
    title: str = ""
    url: str = ""
    seen_date: str = ""

    def as_json(self) -> dict:
        out: dict = {"path": self.path, "size": self.size, "sha256": self.sha256, "kind": self.kind}
        if self.task is not None:
            out.update(task=self.task, number=self.number, title=self.title)
        if self.url:
            out["url"] = self.url
        if self.seen_date:
            out["seen_date"] = self.seen_date
        return out


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    size: int
    files: tuple[PackageFile, ...]
    manifest: dict = field(repr=False)


# --- names -----------------------------------------------------------------------------------------
def package_topic(plan_title: str) -> str:
    """政务公开 from 德庆县2019年政务公开工作要点分工方案: what follows the year, before 工作要点/方案."""
    m = re.search(r"\d{4}年(?:度)?(.+)", plan_title)
    text = m.group(1) if m else plan_title
    for tail in ("工作要点分工方案", "重点工作分工方案", "工作要点", "分工方案", "实施方案", "工作方案", "方案",
                 "要点"):
        if tail in text:
            text = text.split(tail, 1)[0]
            break
    return text.strip() or "工作"


def _iso(report_date: date | str) -> str:
    return report_date.isoformat() if isinstance(report_date, date) else str(report_date)


def suggest_package_name(office: str, plan_title: str, report_date: date | str) -> str:
    """悦城镇_政务公开落实情况_2019-12-04.zip"""
    return safe_file_name(f"{office}_{package_topic(plan_title)}落实情况_{_iso(report_date)}", 150) + ".zip"


def document_names(office: str) -> dict[str, str]:
    o = safe_file_name(office, 60)
    return {"report_pdf": f"{o}_落实情况报告.pdf", "report_docx": f"{o}_落实情况报告.docx",
            "ledger_xlsx": f"{o}_落实情况台账.xlsx", "progress": f"{o}_进度数据.json"}


def evidence_paths(item: PackageEvidence) -> tuple[str | None, str | None]:
    """(file path, link path) inside the zip: 佐证材料/任务12 市长留言办理/12-1 会议照片.jpg and …/12-2 网页.url."""
    folder = f"{EVIDENCE_ROOT}/{safe_file_name(f'任务{item.task} {item.task_name}'.strip(), 60)}"
    stem = safe_file_name(f"{item.number} {item.title}", 110)
    file_path = f"{folder}/{stem}{safe_suffix(item.suffix)}" if item.source is not None else None
    link_path = f"{folder}/{stem}.url" if item.url else None
    return file_path, link_path


def internet_shortcut(url: str) -> bytes:
    """A Windows .url file: double-clicking opens the page (non-ASCII characters percent-encoded)."""
    return f"[InternetShortcut]\r\nURL={quote(url, safe=':/?#[]@!$&()*+,;=%~-._')}\r\n".encode("ascii")


# --- size ------------------------------------------------------------------------------------------
def estimate_package_size(documents: Sequence[bytes], evidence: Sequence[PackageEvidence]) -> int:
    """An upper estimate of the zip's size (nothing compresses), to warn before writing."""
    total = sum(len(d) for d in documents) + 64 * 1024  # + 目录 and manifest
    for item in evidence:
        if item.source is not None:
            with contextlib.suppress(OSError):
                total += Path(item.source).stat().st_size
        total += _ENTRY_OVERHEAD * 2 + 200
    return total + _ENTRY_OVERHEAD * 8


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size < 1024 ** 3 else f"{size / 1024 ** 3:.2f} GB"


# --- writing ---------------------------------------------------------------------------------------
def _write_error(exc: OSError, target: Path) -> PackageError:
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        msg = f"U盘或磁盘空间已满，报送材料没有生成：{target.parent}。请清理空间或换一个位置。"
    elif code == errno.EFBIG:
        msg = f"报送材料超过了保存位置的单个文件上限（FAT32 格式的U盘为 4 GB）：{target.parent}。没有留下不完整的文件。"
    elif code == errno.EROFS:
        msg = f"保存位置是只读的（写保护的U盘？），报送材料没有生成：{target.parent}"
    elif isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        msg = f"无法写入“{target.name}”：没有权限，或同名文件正被其他程序打开。请关闭它或换一个位置。"
    elif code in (errno.ENOENT, errno.EIO, errno.ENODEV):
        msg = f"写入报送材料时出错（{exc.strerror or exc}），U盘可能已拔出：{target.parent}。没有留下不完整的文件。"
    else:
        msg = f"报送材料没有生成（{exc.strerror or exc}）：{target}"
    return PackageError(msg, target)


class PackageTargetError(PackageError):
    """Where the package should go is not usable (bad input: a wrong name, a missing folder, another file)."""


def is_our_package(path: Path) -> bool:
    """Whether ``path`` is a zip whose manifest says it is a submission package (ours to replace)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(MANIFEST_NAME)
            if info.file_size > 16 * 1024 * 1024 or info.flag_bits & 0x1:
                return False
            with zf.open(info) as fh:
                doc = json.loads(fh.read(16 * 1024 * 1024).decode("utf-8"))
    except Exception:  # not a zip, no manifest, damaged, not JSON: not ours
        return False
    return isinstance(doc, dict) and doc.get("format") == FORMAT


def resolve_target(out_path: Path, office: str, plan_title: str, report_date: date | str) -> Path:
    """A folder gets the suggested name inside it; a path ending in .zip is used as given.

    An existing file there is replaced only when it is one of our packages (an earlier one of this
    report, say); anything else is refused with :class:`PackageTargetError`, as is a missing folder.
    """
    out_path = Path(out_path)
    if out_path.is_dir():
        target = out_path / suggest_package_name(office, plan_title, report_date)
    else:
        if out_path.suffix.lower() != ".zip":
            if not out_path.exists() and not out_path.suffix:
                raise PackageTargetError(f"文件夹不存在：{out_path}。报送材料应保存到已有的文件夹（如U盘），"
                                         "或给出以 .zip 结尾的文件名", out_path)
            raise PackageTargetError(f"报送材料应保存为 .zip 文件，或选择一个文件夹：{out_path}", out_path)
        if not out_path.parent.is_dir():
            raise PackageTargetError(f"文件夹不存在：{out_path.parent}", out_path)
        target = out_path
    if (target.exists() or target.is_symlink()) and not is_our_package(target):
        raise PackageTargetError(f"“{target.name}”已存在，但不是落实台账的报送材料，为免误删没有覆盖。"
                                 f"请换一个文件名或文件夹：{target.parent}", target)
    return target


def _zinfo(name: str, now: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
    info.external_attr = 0o644 << 16
    stored = Path(name).suffix.lower() in _STORED_SUFFIXES
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def _add_bytes(zf: zipfile.ZipFile, name: str, data: bytes, now: datetime) -> tuple[int, str]:
    zf.writestr(_zinfo(name, now), data)
    return len(data), hashlib.sha256(data).hexdigest()


def _add_file(zf: zipfile.ZipFile, name: str, item: PackageEvidence, now: datetime) -> tuple[int, str]:
    """Stream a stored file into the zip, hashing it on the way (one read)."""
    source = Path(item.source or "")
    what = f"佐证材料 {item.number} {item.title}"
    try:
        src = open(source, "rb")  # noqa: SIM115 - read errors are the evidence's, write errors the stick's
    except OSError:
        raise PackageError(f"{what} 的文件缺失或无法读取（{source.name}）。请先运行“检查”，删除或重新添加后再生成。",
                           source) from None
    h, size = hashlib.sha256(), 0
    try:
        big = os.fstat(src.fileno()).st_size > zipfile.ZIP64_LIMIT // 2  # only then: plain headers open everywhere
    except OSError:
        big = True
    with src, zf.open(_zinfo(name, now), "w", force_zip64=big) as out:
        while True:
            try:
                chunk = src.read(_CHUNK)
            except OSError:
                raise PackageError(f"读取{what} 的文件时出错（{source.name}）。", source) from None
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
            out.write(chunk)
    digest = h.hexdigest()
    if item.sha256 and digest != item.sha256:
        raise PackageError(f"{what} 的文件已被改动（校验值不符）。请先运行“检查”，重新添加后再生成。", source)
    return size, digest


def _index_xlsx(office: str, plan_title: str, report_date: str, files: Sequence[PackageFile]) -> bytes:
    """目录.xlsx: one row per file, printable on landscape A4 (hashes stay in manifest.json)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "目录"
    rows: list[list[object]] = [
        [f"{office} 报送材料目录"],
        [f"{plan_title}　报告日期 {report_date}　共 {len(files) + 2} 个文件（含本目录和 manifest.json，"
         "其中记有每个文件的 SHA-256 校验值）"],
        ["序号", "类别", "任务", "编号", "标题", "文件（压缩包内的位置）", "网址", "日期", "大小（字节）"],
        *([i, KIND_LABELS.get(f.kind, f.kind), f.task, f.number, f.title, f.path, f.url, f.seen_date, f.size]
          for i, f in enumerate(files, 1)),
        [len(files) + 1, "目录", None, None, "本目录", INDEX_NAME],
        [len(files) + 2, "校验清单", None, None, "每个文件的大小和 SHA-256", MANIFEST_NAME],
    ]
    for r, values in enumerate(rows, start=1):  # titles come from the clerk: text, never a formula
        put_row(ws, r, values)
    ws.merge_cells("A1:I1")
    ws.merge_cells("A2:I2")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for col, width in zip("ABCDEFGHI", (6, 18, 6, 7, 30, 66, 30, 11, 12), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=4):
        for i in (0, 2, 3):
            row[i].alignment = Alignment(horizontal="center")
        row[8].number_format = "#,##0"
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "3:3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_package(out_path: Path, office: str, plan_title: str, plan_year: int, report_date: date | str, *,
                  report_pdf: bytes, report_docx: bytes, ledger_xlsx: bytes, progress_json: bytes,
                  evidence: Sequence[PackageEvidence | tuple] = (), app_version: str = "0.1.0",
                  allow_large: bool = False, now: datetime | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  extra: dict[str, object] | None = None,
                  summary: Mapping[str, object] | None = None) -> PackageInfo:
    """Write the package zip (see the module docstring); ``out_path`` is a folder or a .zip path.

    Raises PackageTooLarge over 2 GB unless ``allow_large``; PackageError for a missing or altered
    evidence file, too little space or a write failure. On any failure nothing is left under the
    final name and an earlier file there is unchanged. ``progress(done, estimate)`` is called after
    each file (bytes so far, the estimate), for a progress bar. ``extra`` adds keys to the manifest (e.g. the
    submission check's ``check``); it never replaces the standard ones. ``summary`` (:func:`standing_summary`)
    goes into the manifest as an optional key; readers ignore what they do not know.
    """
    now = now or datetime.now()
    report_iso = _iso(report_date)
    items = [e if isinstance(e, PackageEvidence) else PackageEvidence(*e) for e in evidence]
    target = resolve_target(Path(out_path), office, plan_title, report_iso)
    documents = {"report_pdf": report_pdf, "report_docx": report_docx, "ledger_xlsx": ledger_xlsx,
                 "progress": progress_json}
    estimate = estimate_package_size(list(documents.values()), items)
    if estimate > WARN_PACKAGE_BYTES and not allow_large:
        shown, cap = over_limit(estimate, WARN_PACKAGE_BYTES)
        raise PackageTooLarge(f"报送材料约 {shown}，超过 {cap}：邮箱通常发不出，"
                              "复制和核对也较慢；超过 4 GB 时 FAT32 格式的U盘存不下。仍要生成吗？", estimate)
    with contextlib.suppress(OSError):
        free = shutil.disk_usage(target.parent).free
        if free < estimate:
            raise PackageError(f"空间不足：报送材料约需 {_mb(estimate)}，{target.parent} 只剩 {_mb(free)}。", target)
    names = document_names(office)
    seen_paths: set[str] = set()
    files: list[PackageFile] = []

    def tick() -> None:
        if progress is not None:
            progress(sum(f.size for f in files), estimate)

    def claim(path: str) -> str:
        """Refuse a second file of the same name (as Windows compares names) before writing it."""
        if path.casefold() in seen_paths:
            raise PackageError(f"报送材料中有重复的文件名：{path}（佐证材料编号重复？）", target)
        seen_paths.add(path.casefold())
        return path

    tmp: str | None = None
    try:
        fd, tmp = open_partial(target.parent, target.stem)
        with os.fdopen(fd, "w+b") as fh:
            with zipfile.ZipFile(fh, "w", allowZip64=True) as zf:
                for kind, data in documents.items():
                    files.append(PackageFile(claim(names[kind]), *_add_bytes(zf, names[kind], data, now), kind))
                    tick()
                for item in sorted(items, key=lambda e: (e.task, number_key(e.number))):
                    file_path, link_path = evidence_paths(item)
                    meta = {"task": item.task, "number": item.number, "title": item.title, "url": item.url,
                            "seen_date": item.seen_date}
                    if file_path is not None:
                        done = _add_file(zf, claim(file_path), item, now)
                        files.append(PackageFile(file_path, *done, "evidence", **meta))
                    if link_path is not None:
                        done = _add_bytes(zf, claim(link_path), internet_shortcut(item.url), now)
                        files.append(PackageFile(link_path, *done, "evidence_link", **meta))
                    tick()
                index = _index_xlsx(office, plan_title, report_iso, files)
                files.append(PackageFile(claim(INDEX_NAME), *_add_bytes(zf, INDEX_NAME, index, now), "index"))
                manifest = {"format": FORMAT, "version": VERSION, "office": office, "plan_title": plan_title,
                            "plan_year": plan_year, "report_date": report_iso,
                            "created_at": now.isoformat(timespec="seconds"), "app_version": app_version,
                            "files": [f.as_json() for f in files]}
                manifest = {**(extra or {}), **manifest}
                if summary is not None:
                    manifest["summary"] = dict(summary)
                zf.writestr(_zinfo(MANIFEST_NAME, now),
                            json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
            size = fh.tell()
            if RENAME_WHILE_OPEN:
                os.replace(tmp, target)
                tmp = None
        if tmp is not None:
            os.replace(tmp, target)
            tmp = None
        fsync_dir(target.parent)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return PackageInfo(target, size, tuple(files), manifest)


def standing_summary(stand: Standing, progress: Mapping[int, Progress],
                     slow: Collection[int] = ()) -> dict[str, object]:
    """The manifest's ``summary``: how the office stands as its report says it (core.tracking's rule: 未填写
    apart from 未开始, 相关 tasks out unless filled; the rate by core.cn.percent_text), and how many filled
    tasks are flagged 进展缓慢 (as the 台账 shows them)."""
    flagged = sum(1 for t in slow if (p := progress.get(t)) is not None and is_slow(p.status, True))
    return {"counts": {s.value: stand.counts[s] for s in Status}, "unfilled": stand.unfilled,
            "done": stand.done, "done_total": stand.total, "done_rate": stand.rate_text, "slow": flagged}


def number_key(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("-"))
