"""List the highest GLIBC_ version each ELF file in a folder needs; fail above the limit.

    python3 tools/linux_compat/glibc_check.py --max 2.28 dist/linux-2.28/taizhang [--all]

Reads each file's version-needs section (``readelf -V``), so only versions the file requires count, not the ones
a library defines. Also reports GLIBCXX_/CXXABI_: no file outside the Qt wheels may need a newer one than Qt
itself does (the target PC's libstdc++ must satisfy Qt anyway). Exit 1 when a limit is broken.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

NEED = re.compile(r"Name: ((?:GLIBC|GLIBCXX|CXXABI)_[0-9][0-9.]*)")


def version_key(tag: str) -> tuple[int, ...]:
    return tuple(int(x) for x in tag.split("_", 1)[1].split(".") if x)


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed_versions(path: Path) -> list[str]:
    """Versions in .gnu.version_r (what the file needs), not .gnu.version_d (what it defines)."""
    out = subprocess.run(["readelf", "-V", "--wide", str(path)], capture_output=True, text=True, check=True).stdout
    section = out.split("Version needs section", 1)
    return NEED.findall(section[1]) if len(section) == 2 else []


def highest(tags: list[str], prefix: str) -> str | None:
    mine = [t for t in tags if t.startswith(prefix + "_")]
    return max(mine, key=version_key) if mine else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--max", default="2.28", help="highest GLIBC version allowed")
    ap.add_argument("--all", action="store_true", help="list every ELF file, not just the top 15")
    args = ap.parse_args(argv)
    limit = version_key("GLIBC_" + args.max)

    rows = []  # (glibc, glibcxx, cxxabi, relative path)
    for path in sorted(p for p in args.folder.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)):
        tags = needed_versions(path)
        rows.append((highest(tags, "GLIBC"), highest(tags, "GLIBCXX"), highest(tags, "CXXABI"),
                     str(path.relative_to(args.folder))))
    if not rows:
        print(f"{args.folder}: no ELF files", file=sys.stderr)
        return 1
    rows.sort(key=lambda r: version_key(r[0]) if r[0] else (0,), reverse=True)
    shown = rows if args.all else rows[:15]
    print(f"{'GLIBC':<12} {'GLIBCXX':<16} {'CXXABI':<14} file")
    for glibc, cxx, abi, rel in shown:
        print(f"{glibc or '-':<12} {cxx or '-':<16} {abi or '-':<14} {rel}")
    if len(shown) < len(rows):
        print(f"... {len(rows) - len(shown)} more ELF files (--all lists them)")

    failed = [r for r in rows if r[0] and version_key(r[0]) > limit]
    qt = [r for r in rows if {"PySide6", "shiboken6"} & set((args.folder.resolve() / r[3]).parts)]
    qt_needs = []
    for col in (1, 2):
        qt_max = max((r[col] for r in qt if r[col]), key=version_key, default=None)
        qt_needs.append(qt_max or "-")
        limit_cxx = version_key(qt_max) if qt_max else (0,)
        failed += [r for r in rows if r[col] and r not in qt and version_key(r[col]) > limit_cxx]
    print(f"{len(rows)} ELF files; highest GLIBC needed: {rows[0][0]} (limit GLIBC_{args.max}); "
          f"Qt wheels need {' and '.join(qt_needs)}, nothing else needs more")
    for r in failed:
        print(f"TOO NEW: {r[3]} needs {r[0]} {r[1] or ''} {r[2] or ''}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
