"""County import: verify the offices' packages, copy each zip into ``received/``, write their rows.

The slow half (:func:`prepare_packages`: read and verify every package, then copy each zip, its bytes hashed
while written) needs no database and runs on any thread: the window's worker. The other half
(:func:`store_packages`) writes each package's rows in its own short transaction on the caller's connection,
checking again there what the plan holds. ``actions.county`` re-exports all of it; the CLI runs both halves
in one call (:func:`import_packages`).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from actions.errors import ActionError, StorageError
from actions.session import Session
from core.county.incoming import IncomingPackage, open_incoming
from core.model import Plan
from core.package.write import PackageError
from db import received, received_files
from db.plans import now_iso
from db.received import ReceivedEvidence, ReceivedPackage

__all__ = ["IMPORTED", "REFUSED", "UNCHANGED", "CopiedBatch", "ImportOutcome", "ImportSummary", "ImportTarget",
           "KeptCopy", "VerifiedBatch", "copy_packages", "import_packages", "import_target", "prepare_packages",
           "store_packages", "verify_packages"]

IMPORTED, UNCHANGED, REFUSED = "imported", "unchanged", "refused"
log = logging.getLogger("taizhang.county")


@dataclass(frozen=True)
class ImportOutcome:
    path: Path
    result: str  # imported | unchanged | refused
    office: str = ""
    report_date: str = ""
    message: str = ""  # why refused, or what happened
    current: bool = False  # the package is now the office's current one


@dataclass(frozen=True)
class ImportSummary:
    outcomes: tuple[ImportOutcome, ...]

    def of(self, result: str) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.result == result]

    @property
    def imported(self) -> list[ImportOutcome]:
        return self.of(IMPORTED)

    @property
    def unchanged(self) -> list[ImportOutcome]:
        return self.of(UNCHANGED)

    @property
    def refused(self) -> list[ImportOutcome]:
        return self.of(REFUSED)

    @property
    def ok(self) -> bool:
        return not self.refused


def _conflicts(found: list[IncomingPackage]) -> dict[Path, str]:
    """Packages of one office and report date with different contents in one batch: each refused."""
    groups: dict[tuple[str, str], list[IncomingPackage]] = defaultdict(list)
    for inc in found:
        groups[(inc.office, inc.report_date)].append(inc)
    refused: dict[Path, str] = {}
    for (office, day), group in groups.items():
        if len({g.manifest_sha256 for g in group}) > 1:
            names = "、".join(f"“{g.path.name}”" for g in group)
            for g in group:
                refused[g.path] = (f"报送材料“{g.path.name}”不能导入：{names}都是{office}报告日期为 {day} 的报送材料，"
                                   "但内容不同。请向该单位确认哪一份是正式报送的，只导入那一份。")
    return refused


def _known(conn: sqlite3.Connection, plan_id: int, inc: IncomingPackage,
           kept: KeptCopy | None) -> ImportOutcome | None:
    """The outcome when the plan has this package already (unchanged) or another of its date (refused)."""
    same = received.by_manifest(conn, plan_id, inc.manifest_sha256)
    if same is not None:
        added = ""
        if kept is not None and kept.adding and same.file_sha256 == inc.file_sha256:
            added = kept.failed or ("（已在数据文件夹中补存压缩包的副本）" if kept.placed else "")
        return ImportOutcome(inc.path, UNCHANGED, inc.office, inc.report_date,
                             f"与 {same.imported_at[:16].replace('T', ' ')} 导入的“{same.file_name}”相同，"
                             f"未重复导入{added}",
                             same.current)
    other = received.by_office_date(conn, plan_id, inc.office, inc.report_date)
    if other is not None:
        return ImportOutcome(inc.path, REFUSED, inc.office, inc.report_date,
                             f"报送材料“{inc.path.name}”不能导入：已导入过{inc.office}报告日期为 {inc.report_date} 的"
                             f"另一份报送材料（“{other.file_name}”），内容不同。同一日期只能有一份；"
                             "如是修改后重报，请该单位改用新的报告日期重新生成。")
    return None


def _store_one(session: Session, plan_id: int, inc: IncomingPackage, kept: KeptCopy | None) -> ImportOutcome:
    """The package's rows in one short transaction, its copy in ``received/`` made already (:func:`copy_packages`,
    off the UI thread and outside the transaction, so the write lock is not held while a slow USB stick is
    read). The checks are made inside the transaction, in case another process imported the package since;
    a copy this import wrote whose rows do not go in is deleted unless some row refers to that zip."""
    try:
        with session.store.write() as conn:
            outcome = _known(conn, plan_id, inc, kept)
            if outcome is None:
                if kept is None or kept.adding:  # the plan held it when the copies were made: none made for rows
                    outcome = ImportOutcome(inc.path, REFUSED, inc.office, inc.report_date,
                                            f"报送材料“{inc.path.name}”没有导入：导入期间汇总数据有变化"
                                            "（可能在另一个窗口中移出了报送材料）。请重新导入。")
                elif kept.failed:
                    outcome = ImportOutcome(inc.path, REFUSED, inc.office, inc.report_date, kept.failed)
                else:
                    new_id, now = _insert(conn, plan_id, inc)
    except BaseException:
        _drop_new_copy(session, inc, kept)
        raise
    if outcome is not None:
        _drop_new_copy(session, inc, kept)
        return outcome
    current = now is not None and now.id == new_id
    note = "" if current else "（该单位已有更新的报送材料，这一份存入历史）"
    return ImportOutcome(inc.path, IMPORTED, inc.office, inc.report_date,
                         f"已导入 {len(inc.entries)} 条进度、{len(inc.evidence)} 个佐证材料文件{note}", current)


def _drop_new_copy(session: Session, inc: IncomingPackage, kept: KeptCopy | None) -> None:
    """A copy this import wrote, when its rows did not go in: deleted unless some row refers to that zip."""
    if kept is not None and kept.placed:
        with contextlib.suppress(sqlite3.Error):  # the failure being raised is the one to report
            received_files.drop_copy_if_unused(session.store.conn, session.data_dir, inc.file_sha256)


def _insert(conn: sqlite3.Connection, plan_id: int, inc: IncomingPackage) -> tuple[int, ReceivedPackage | None]:
    """The package's rows (inside the caller's transaction): its id, and the office's current package."""
    evidence = [ReceivedEvidence(f.task or 0, f.number, f.title, f.kind, f.path, f.sha256, f.size, f.url,
                                 f.seen_date) for f in inc.evidence]
    new_id = received.insert_package(
        conn, plan_id, office=inc.office, report_date=inc.report_date, created_at=inc.created_at,
        app_version=inc.app_version, file_name=inc.path.name, manifest_sha256=inc.manifest_sha256,
        file_sha256=inc.file_sha256, file_size=inc.file_size, imported_at=now_iso(), entries=inc.entries,
        evidence=evidence, slow=inc.slow)
    return new_id, received.current_package(conn, plan_id, inc.office)


@dataclass(frozen=True)
class ImportTarget:
    """What verifying and copying need from the database, read on the UI thread: safe to hand to a worker.

    ``received``: manifest SHA-256 → zip SHA-256 of each package the plan held then; ``dates``: its
    (office, report date) pairs. They tell which zips need a copy; the transaction checks again.
    """

    plan_id: int
    plan: Plan
    offices: frozenset[str]
    received: Mapping[str, str] = field(default_factory=dict)
    dates: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class VerifiedBatch:
    """The packages read and verified, and those refused already: the result of :func:`verify_packages`."""

    target: ImportTarget
    order: tuple[Path, ...]
    found: tuple[IncomingPackage, ...]
    refused: dict[Path, ImportOutcome]


@dataclass(frozen=True)
class KeptCopy:
    """What copying one package's zip into ``received/`` came to (plain data, from the worker)."""

    placed: bool = False  # this import wrote the file (it was missing, or altered)
    failed: str = ""  # why there is no copy: the refusal of a new package, or the note for a known one
    adding: bool = False  # the plan held the package already: the copy was only added or repaired


@dataclass(frozen=True)
class CopiedBatch:
    """A verified batch whose zips are copied into ``received/``: the result of :func:`copy_packages`, what
    :func:`store_packages` writes."""

    batch: VerifiedBatch
    kept: Mapping[Path, KeptCopy]


def import_target(session: Session) -> ImportTarget:
    plan_id = session.current_plan_id()
    held = received.history(session.store.conn, plan_id)
    return ImportTarget(plan_id, session.plan(plan_id), frozenset(o.name for o in session.offices()),
                        {p.manifest_sha256: p.file_sha256 for p in held},
                        frozenset((p.office, p.report_date) for p in held))


def import_packages(session: Session, paths: Iterable[str | Path], today: date | None = None) -> ImportSummary:
    """Import the offices' packages into the current plan; one outcome per path, in the order given.

    Each package is verified first (hashes, names, plan, office, progress file); a refused one writes
    nothing and does not stop the others. A verified backup is taken before the first write.
    The window runs the same two halves apart: :func:`prepare_packages` (verify, then copy) on a worker,
    :func:`store_packages` on the UI thread.
    """
    return store_packages(session, prepare_packages(session.data_dir, import_target(session), paths, today))


def prepare_packages(data_dir: Path, target: ImportTarget, paths: Iterable[str | Path],
                     today: date | None = None) -> CopiedBatch:
    """The slow half of an import, for any thread (no database): verify every package, then copy the zips."""
    return copy_packages(data_dir, verify_packages(target, paths, today))


def verify_packages(target: ImportTarget, paths: Iterable[str | Path], today: date | None = None) -> VerifiedBatch:
    """Read and verify every package (no database: any thread). The slow half of an import.

    Each package is accepted or refused on its own; ``today`` (default: the clock's) bounds the dates.
    """
    plan = target.plan
    known = target.offices
    outcomes: dict[Path, ImportOutcome] = {}
    found: list[IncomingPackage] = []
    order = [Path(p) for p in paths]
    if not order:
        raise ActionError("请指定要导入的报送材料（.zip 文件）")
    for path in order:
        if path in outcomes or any(f.path == path for f in found):
            continue
        try:
            found.append(open_incoming(path, plan, known, today))
        except PackageError as exc:
            outcomes[path] = ImportOutcome(path, REFUSED, message=exc.message)
        except Exception:  # our bug on a hostile file: this package is refused, the others go on
            log.exception("verifying %s", path)
            outcomes[path] = ImportOutcome(path, REFUSED, message=f"报送材料“{path.name}”不能导入：读取时出现意外错误"
                                                                  "（详情已记入日志），其他报送材料不受影响。")
    return VerifiedBatch(target, tuple(order), tuple(found), outcomes)


def _copy_one(data_dir: Path, inc: IncomingPackage, adding: bool) -> KeptCopy:
    try:
        placed = received_files.keep_copy(data_dir, inc.path, inc.file_sha256, inc.file_size)
    except (PackageError, StorageError) as exc:
        if adding:
            return KeptCopy(failed=f"（压缩包的副本没有保存：{exc.message}）", adding=True)
        if isinstance(exc, StorageError):
            return KeptCopy(failed=f"报送材料“{inc.path.name}”没有导入：{exc.message}")
        return KeptCopy(failed=exc.message)  # changed or gone since it was verified
    except Exception:  # our bug: this package is not imported, the others go on
        log.exception("copying %s", inc.path)
        return KeptCopy(failed=f"报送材料“{inc.path.name}”没有导入：保存副本时出现意外错误（详情已记入日志），"
                               "其他报送材料不受影响。", adding=adding)
    return KeptCopy(placed=placed, adding=adding)


def copy_packages(data_dir: Path, batch: VerifiedBatch) -> CopiedBatch:
    """Copy each verified zip into ``received/`` (no database: any thread; the window's worker), the bytes
    hashed while written (``db.received_files.keep_copy``). Skipped: packages refused anyway (two of one
    office and date in the batch, or another of that date held already) and ones held already as another zip.
    A failure is kept as plain text for :func:`store_packages`; nothing of that package is written."""
    conflicts = _conflicts(list(batch.found))
    held, dates = batch.target.received, batch.target.dates
    kept: dict[Path, KeptCopy] = {}
    for inc in batch.found:
        if inc.path in conflicts:
            continue
        held_as = held.get(inc.manifest_sha256)
        if held_as is None and (inc.office, inc.report_date) in dates:
            continue  # refused: another package of that date
        if held_as is not None and held_as != inc.file_sha256:
            continue  # the same contents zipped anew: unchanged, and the held row's copy is of the other zip
        kept[inc.path] = _copy_one(data_dir, inc, held_as is not None)
    return CopiedBatch(batch, kept)


def _drop_unused(session: Session, copied: CopiedBatch) -> None:
    for inc in copied.batch.found:
        _drop_new_copy(session, inc, copied.kept.get(inc.path))


def store_packages(session: Session, copied: CopiedBatch) -> ImportSummary:
    """Write the verified and copied packages, each in its own short transaction (the UI thread's
    connection): rows only, no file is read or copied here."""
    batch = copied.batch
    plan_id = batch.target.plan_id
    if plan_id != session.current_plan_id():
        _drop_unused(session, copied)
        raise ActionError("导入期间切换了方案，没有导入任何内容。请重新导入。")
    outcomes = dict(batch.refused)
    conflicts = _conflicts(list(batch.found))
    backed_up = False
    for inc in batch.found:
        if inc.path in conflicts:
            outcomes[inc.path] = ImportOutcome(inc.path, REFUSED, inc.office, inc.report_date, conflicts[inc.path])
            continue
        if not backed_up and received.by_manifest(session.store.conn, plan_id, inc.manifest_sha256) is None:
            try:
                session.store.backup("before-county-import")
            except BaseException:
                _drop_unused(session, copied)
                raise
            backed_up = True
        try:
            outcomes[inc.path] = _store_one(session, plan_id, inc, copied.kept.get(inc.path))
        except StorageError as exc:  # its transaction failed: nothing of it written, its new copy dropped
            outcomes[inc.path] = ImportOutcome(inc.path, REFUSED, inc.office, inc.report_date,
                                               f"报送材料“{inc.path.name}”没有导入：{exc.message}")
    seen: set[Path] = set()
    result = []
    for path in batch.order:
        if path not in seen:
            seen.add(path)
            result.append(outcomes[path])
    return ImportSummary(tuple(result))


