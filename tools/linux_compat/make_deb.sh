#!/usr/bin/env bash
# Package the glibc-2.28 folder as a .deb in UOS's app layout (unsigned).
#
#   tools/linux_compat/make_deb.sh dist/linux-2.28/taizhang dist/linux-2.28
#
# UOS (and deepin) apps live in /opt/apps/<appid>/ with:
#   info                               JSON: appid, name, version, arch, permissions
#   files/                             the program (here files/taizhang/, the PyInstaller folder)
#   entries/applications/<appid>.desktop, entries/icons/hicolor/scalable/apps/<appid>.svg
# The desktop environment picks up entries/ itself; on other Debian-family systems postinst links the desktop
# entry and icon into /usr/share so the menu shows it there too.
set -euo pipefail

APP=$(cd "$1" && pwd)
OUTDIR=$(mkdir -p "$2" && cd "$2" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ID=cn.taizhang.app
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)
[ -x "$APP/taizhang" ] || { echo "make_deb: $APP/taizhang missing" >&2; exit 1; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
BASE=$STAGE/opt/apps/$ID
mkdir -p "$BASE/files" "$BASE/entries/applications" "$BASE/entries/icons/hicolor/scalable/apps" "$STAGE/DEBIAN"
cp -a "$APP" "$BASE/files/taizhang"
sed "s/@VERSION@/$VERSION/" "$HERE/uos/info.in" > "$BASE/info"
cp "$HERE/uos/$ID.desktop" "$BASE/entries/applications/"
cp "$HERE/uos/$ID.svg" "$BASE/entries/icons/hicolor/scalable/apps/"

SIZE_KB=$(du -sk "$STAGE/opt" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: $ID
Version: $VERSION
Architecture: amd64
Maintainer: 落实台账 <taizhang@localhost>
Installed-Size: $SIZE_KB
Depends: libc6 (>= 2.28), libstdc++6, libfontconfig1, libfreetype6, libglib2.0-0, libx11-6, libx11-xcb1, libxcb1, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libegl1, libgl1
Section: utils
Priority: optional
Description: 落实台账 — work-plan task ledger for township offices
 Import the county's work plan, record the office's progress, print the
 GB/T 9704 report and package it for the county. Offline; runs on UOS 20
 and Kylin V10 (glibc 2.28 or newer), x86_64.
EOF
cat > "$STAGE/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
# Outside UOS/deepin nothing reads /opt/apps/*/entries: link the entry and icon where every menu looks.
if [ "\$1" = configure ]; then
    mkdir -p /usr/share/applications
    ln -sf /opt/apps/$ID/entries/applications/$ID.desktop /usr/share/applications/$ID.desktop
    mkdir -p /usr/share/icons/hicolor/scalable/apps
    ln -sf /opt/apps/$ID/entries/icons/hicolor/scalable/apps/$ID.svg /usr/share/icons/hicolor/scalable/apps/$ID.svg
fi
EOF
cat > "$STAGE/DEBIAN/postrm" <<EOF
#!/bin/sh
set -e
if [ "\$1" = remove ] || [ "\$1" = purge ]; then
    rm -f /usr/share/applications/$ID.desktop /usr/share/icons/hicolor/scalable/apps/$ID.svg
fi
EOF
chmod 0755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
DEB=$OUTDIR/${ID}_${VERSION}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >&2
ls -l "$DEB" >&2
dpkg-deb --info "$DEB" | sed -n '1,12p' >&2
