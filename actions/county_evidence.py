"""A received package's 佐证材料 on the collecting side: a cell's items, and one opened from the office's zip.

The database keeps only the listing (``db.received``); the files stay in the zip, of which the import keeps a
copy in the data folder's ``received/`` (``db.received_files``): that copy is where a package is looked for
first. A package imported before copies were kept (or whose copy went) is found as before, by its file name
in the folders given (the window remembers those it imported from, the CLI takes ``--package``), and
recognised by its manifest's SHA-256, so a renamed copy chosen by hand is as good. A file is taken out with
:func:`core.package.read.extract_member`: every check the import made, for that file alone, written read-only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from actions import guard
from actions.backup_list import size_text
from actions.errors import ActionError, StorageError
from core.package.read import extract_member, manifest_sha256
from core.package.write import PackageError, number_key
from db.received import ReceivedEvidence, ReceivedPackage
from db.received_files import copy_path

__all__ = ["EvidenceEntry", "ViewFolder", "entries", "extract_all", "find_package", "kept_copy", "not_found",
           "open_entry", "package_places"]

VIEW_PREFIX = "taizhang-county-"
STALE_SECONDS = 86400  # a folder a crash left behind is cleared by the next window after a day


@dataclass(frozen=True)
class EvidenceEntry:
    """One numbered item of a cell, as the clerk knows it: a file, or a web link with its screenshot if any."""

    number: str
    title: str
    file: ReceivedEvidence | None  # the file to open (a link's screenshot); None: a link without screenshot
    url: str = ""
    seen_date: str = ""
    shortcut: ReceivedEvidence | None = None  # a link's .url file in the zip

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def file_name(self) -> str:
        """The name in the zip (and of the copy opened): 12-1 留言办理台账.pdf."""
        shown = self.file or self.shortcut
        return shown.path.rsplit("/", 1)[-1] if shown is not None else ""

    @property
    def size(self) -> int:
        return self.file.size if self.file is not None else 0

    @property
    def size_text(self) -> str:
        return size_text(self.size) if self.file is not None else ""

    def as_json(self) -> dict:
        return {"number": self.number, "title": self.title, "file_name": self.file_name,
                "path": self.file.path if self.file else "", "size": self.size, "url": self.url,
                "seen_date": self.seen_date}


def entries(evidence: Iterable[ReceivedEvidence]) -> list[EvidenceEntry]:
    """A cell's evidence rows as items: a link's .url and its screenshot (one number) are one item."""
    groups: dict[tuple[int, str], list[ReceivedEvidence]] = {}
    for ev in evidence:
        groups.setdefault((ev.task, ev.number or ev.path), []).append(ev)
    out = []
    for (_task, _key), rows in sorted(groups.items(), key=lambda kv: (kv[0][0], number_key(kv[1][0].number),
                                                                      kv[0][1])):
        file = next((r for r in rows if r.kind == "evidence"), None)
        shortcut = next((r for r in rows if r.kind == "evidence_link"), None)
        first = file or rows[0]
        url = next((r.url for r in rows if r.url), "")
        out.append(EvidenceEntry(first.number, first.title, file, url, first.seen_date, shortcut))
    return out


def package_places(package: ReceivedPackage, places: Iterable[str | Path]) -> list[Path]:
    """Where to look for ``package``'s zip: a file as given, a folder with the zip's file name in it."""
    out: list[Path] = []
    for place in places:
        p = Path(place).expanduser()
        candidate = p / package.file_name if p.is_dir() else p
        if candidate not in out:
            out.append(candidate)
    return out


def kept_copy(package: ReceivedPackage, data_dir: Path) -> Path:
    """Where the import kept ``package``'s zip (it may not be there: imported before copies were kept)."""
    return copy_path(data_dir, package.file_sha256)


def find_package(package: ReceivedPackage, places: Iterable[str | Path], data_dir: Path | None = None
                 ) -> Path | None:
    """The package's copy in ``data_dir``'s ``received/``, else the first of ``places`` (files, or folders
    holding the zip under its file name) that is this package: its manifest is the one imported. Files that
    cannot be read, or are another package, are passed over."""
    kept = [kept_copy(package, data_dir)] if data_dir is not None else []
    for candidate in [*kept, *package_places(package, places)]:
        try:
            if candidate.is_file() and manifest_sha256(candidate) == package.manifest_sha256:
                return candidate
        except (PackageError, OSError):
            continue
    return None


def not_found(package: ReceivedPackage) -> str:
    return (f"找不到{package.office}报告日期为 {package.report_date} 的报送材料“{package.file_name}”"
            "（佐证材料在这个压缩包里；数据文件夹中没有它的副本：它是在保存副本的版本之前导入的，或副本已被删除。"
            "找到后重新导入一次即可补存副本）。")


def _extract(zip_path: Path, package: ReceivedPackage, entry: EvidenceEntry, folder: Path,
             overwrite: bool) -> Path:
    if entry.file is None:
        raise ActionError(f"佐证材料 {entry.label} 只有网址，没有文件：{entry.url}")
    try:
        return extract_member(zip_path, entry.file.path, folder, manifest_sha256=package.manifest_sha256,
                              overwrite=overwrite)
    except PackageError as exc:  # the kept copy is named by its hash: the clerk knows the office's name for it
        raise ActionError(exc.message.replace(f"“{zip_path.name}”", f"“{package.file_name}”")) from None
    except FileExistsError:
        raise ActionError(f"“{folder}”中已有同名的另一个文件“{entry.file_name}”，为免覆盖没有取出。"
                          "请换一个空文件夹。") from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageError(f"磁盘已满，无法取出佐证材料“{entry.file_name}”（{folder}）。请清理磁盘空间后重试。",
                               "full", folder) from exc
        raise StorageError(f"无法把佐证材料“{entry.file_name}”取出到 {folder}：{exc.strerror or exc}",
                           "write", folder) from exc


def open_entry(zip_path: Path, package: ReceivedPackage, entry: EvidenceEntry, folder: Path) -> Path:
    """``entry``'s file taken out of ``zip_path`` into ``folder`` (``ViewFolder.for_package``), read-only: the
    path to hand to the system viewer. ActionError when the zip or the file is refused (the reason in Chinese).
    No database: any thread."""
    return _extract(Path(zip_path), package, entry, Path(folder), overwrite=True)


def extract_all(session_data_dir: Path, zip_path: Path, package: ReceivedPackage, items: Iterable[EvidenceEntry],
                out: str | Path) -> list[Path]:
    """Every file of ``items`` into the folder ``out`` (``county evidence --extract``), read-only; a different
    file of the same name already there is not overwritten."""
    folder = guard.check_folder(out, session_data_dir)
    return [_extract(Path(zip_path), package, e, folder, overwrite=False) for e in items if e.file is not None]


def _writable_then_remove(folder: Path) -> None:
    """Remove ``folder``; its files are read-only (Windows refuses to delete those), and one a viewer still
    holds open stays behind in the system's temporary folder."""
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(root, name), stat.S_IREAD | stat.S_IWRITE | stat.S_IEXEC)
    shutil.rmtree(folder, ignore_errors=True)


class ViewFolder:
    """The window's temporary folder for evidence opened from packages (under the system's temp folder), made
    on first use and removed by :meth:`close`; one sub-folder per package, so two offices' 12-1 never meet."""

    def __init__(self, base: Path | None = None) -> None:
        self.base = Path(base) if base is not None else None
        self.path: Path | None = None

    def get(self) -> Path:
        if self.path is None or not self.path.is_dir():
            root = self.base or Path(tempfile.gettempdir())
            self._sweep(root)
            try:
                self.path = Path(tempfile.mkdtemp(prefix=VIEW_PREFIX, dir=root))
            except OSError as exc:
                raise StorageError(f"无法在临时文件夹 {root} 中建立查看佐证材料用的文件夹：{exc.strerror or exc}",
                                   "write", root) from exc
        return self.path

    def for_package(self, package_id: int) -> Path:
        folder = self.get() / str(package_id)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise StorageError(f"无法建立临时文件夹 {folder}：{exc.strerror or exc}", "write", folder) from exc
        return folder

    def close(self) -> None:
        if self.path is not None:
            _writable_then_remove(self.path)
            self.path = None

    @staticmethod
    def _sweep(root: Path) -> None:
        cutoff = time.time() - STALE_SECONDS
        with contextlib.suppress(OSError):
            for old in root.glob(VIEW_PREFIX + "*"):
                with contextlib.suppress(OSError):
                    if old.is_dir() and not old.is_symlink() and old.stat().st_mtime < cutoff:
                        _writable_then_remove(old)
