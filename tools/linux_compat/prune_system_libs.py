"""Remove the build machine's own system libraries from a PyInstaller folder made for glibc 2.28.

    python3 tools/linux_compat/prune_system_libs.py build/linux-2.28 dist/linux-2.28/taizhang

PyInstaller copies every shared library the kept binaries link to, including this Debian's libstdc++, glib,
X11, dbus, krb5… Those were built for glibc 2.36 and would not load on UOS 20; the target PC has its own
(a desktop cannot run without them). So every library whose source (from COLLECT's table of contents) is under
/lib or /usr/lib goes, except the small xcb helpers Qt's xcb plugin needs that a fresh desktop often lacks
(build.spec's XCB_CARRIED and what they link) and libatomic; glibc_check.py then proves what stays needs at most 2.28.
Libraries from the wheels (PySide6, Pillow's hashed copies) and our own compiled Python stay.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

SYSTEM = ("/lib/", "/usr/lib/", "/lib64/", "/usr/lib64/")
# libxcb-cursor links libxcb-image, -render-util and -util (.so.1 here; older systems have .so.0 only).
# libatomic (GCC's runtime, GLIBC_2.14): QtPdf needs it and a minimal install may lack libatomic1.
CARRIED = re.compile(r"^(libxcb-(cursor|icccm|keysyms|image|render-util|util)|libatomic)\.so\.\d+$")


def main(workpath: str, folder: str) -> int:
    tocs = sorted(Path(workpath).rglob("COLLECT-*.toc"))
    if not tocs:
        print(f"prune: no COLLECT toc under {workpath}", file=sys.stderr)
        return 1
    entries = ast.literal_eval(tocs[-1].read_text(encoding="utf-8"))[0]
    internal = Path(folder) / "_internal"
    removed, kept = [], []
    for dest, src, kind in entries:
        if kind not in ("BINARY", "EXTENSION") or not src or not src.startswith(SYSTEM):
            continue
        name = Path(dest).name
        if CARRIED.match(name):
            kept.append(name)
            continue
        target = internal / dest
        if target.exists() or target.is_symlink():
            target.unlink()
            removed.append(name)
    print(f"prune: removed {len(removed)} system libraries (the target's own are used): {' '.join(sorted(removed))}")
    print(f"prune: carried from this machine: {' '.join(sorted(kept))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
