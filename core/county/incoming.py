"""Reading an office's submission package on the collecting side: verified, matched to the plan, parsed.

:func:`open_incoming` trusts nothing: :func:`core.package.read.read_package` checks the zip (hashes, sizes,
names, ``../``, zip bombs); here the package must also be for the current plan (title and year), come from
an office the plan knows, and carry a progress file that parses against the plan for that same office.
Every refusal is a :class:`~core.package.write.PackageError` whose message names the file. Nothing is written.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from core.model import Plan, Progress
from core.package.read import read_package
from core.package.write import MANIFEST_NAME, PackageError, PackageFile
from core.progress.file import ProgressFileError, parse_progress_file


@dataclass(frozen=True)
class IncomingPackage:
    """One verified package, ready to store."""

    path: Path
    office: str
    report_date: str  # ISO
    created_at: str
    app_version: str
    manifest_sha256: str  # identifies the package: the manifest lists every file's hash
    file_sha256: str
    file_size: int
    entries: tuple[Progress, ...]  # with updated_at as the office saved it
    evidence: tuple[PackageFile, ...]
    slow: frozenset[int] = frozenset()  # tasks the office marked 进展缓慢 (the progress file's "slow": true)


def _refuse(path: Path, why: str) -> PackageError:
    return PackageError(f"报送材料“{path.name}”不能导入：{why}", path)


def _file_digest(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def open_incoming(path: Path, plan: Plan, known_offices: Collection[str], today: date | None = None
                  ) -> IncomingPackage:
    """Verify and parse the package at ``path`` for ``plan``; PackageError (naming the file) if refused."""
    path = Path(path)
    try:  # before the checks: a zip changed after them no longer has this hash (the stored copy is compared)
        file_sha, size = _file_digest(path)
    except OSError:
        file_sha, size = "", 0  # read_package says what is wrong with the path
    pkg = read_package(path, today)
    if not file_sha:
        raise _refuse(path, "读取时出错，文件可能在导入过程中被改动或U盘已拔出")
    if (pkg.plan_title, pkg.plan_year) != (plan.title, plan.year):
        raise _refuse(path, f"它是《{pkg.plan_title}》（{pkg.plan_year}年）的报送材料，"
                            f"与当前方案《{plan.title}》（{plan.year}年）不一致")
    if pkg.office not in known_offices:
        raise _refuse(path, f"报送单位“{pkg.office}”不在当前方案的单位列表中（可在“单位”中添加后再导入）")
    numbers = {t.number for t in plan.tasks}
    stray = next((f for f in pkg.evidence if f.task not in numbers), None)
    if stray is not None:
        raise _refuse(path, f"佐证材料“{stray.path}”属于任务 {stray.task}，方案中没有这项任务")
    progress_entry = pkg.file("progress")
    assert progress_entry is not None  # read_package requires exactly one, at most MAX_PROGRESS_BYTES
    try:
        with zipfile.ZipFile(path) as zf:
            manifest_sha = hashlib.sha256(zf.read(MANIFEST_NAME)).hexdigest()
            with zf.open(progress_entry.path) as fh:
                data = fh.read(progress_entry.size + 1)
    except Exception as exc:  # OSError, BadZipFile, KeyError, zlib.error…: changed or damaged since verified
        raise _refuse(path, f"读取时出错（{type(exc).__name__}），文件可能在导入过程中被改动或U盘已拔出") from None
    if hashlib.sha256(data).hexdigest() != progress_entry.sha256:  # changed since it was verified
        raise _refuse(path, f"{progress_entry.path} 与清单中的校验值不符（文件已被改动）")
    try:
        parsed = parse_progress_file(data, plan, None)
    except ProgressFileError as exc:
        raise _refuse(path, f"进度数据 {progress_entry.path}：{exc}") from None
    if parsed.office != pkg.office:
        raise _refuse(path, f"清单写的是{pkg.office}的报送材料，其中的进度数据 {progress_entry.path} 却是"
                            f"“{parsed.office}”的。两者应为同一单位，请该单位重新生成报送材料")
    stamps = {p.task: p.updated_at or "" for p in parsed.patches}
    entries = tuple(replace(p, updated_at=stamps.get(p.task, "")) for p in parsed.entries)
    return IncomingPackage(path, pkg.office, pkg.report_date, pkg.created_at, pkg.app_version, manifest_sha,
                           file_sha, size, entries, pkg.evidence, parsed.slow_tasks)
