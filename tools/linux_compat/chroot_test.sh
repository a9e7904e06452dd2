#!/usr/bin/env bash
# Run the glibc-2.28 build inside an older userland: a Debian bullseye chroot (glibc 2.31, the Kylin V10 SP1
# level; buster's 2.28 is no longer served). Installs the .deb there with dpkg, lists any library the loader
# cannot find, and runs the frozen --smoke-test from /opt/apps/cn.taizhang.app.
#
#   tools/linux_compat/chroot_test.sh dist/linux-2.28
#
# The chroot is made once by debootstrap (minbase + the X/GL/font libraries a desktop has) and kept in the cache
# (TAIZHANG_LINUX_COMPAT_CACHE/bullseye-root); the mirror is the one this machine's apt uses. Needs root.
set -euo pipefail

OUT=$(cd "$1" && pwd)
CACHE=${TAIZHANG_LINUX_COMPAT_CACHE:-$HOME/.cache/taizhang-linux-compat}
ROOTFS=$CACHE/bullseye-root
ID=cn.taizhang.app
# What a UOS/Kylin desktop brings and the Qt xcb platform plugin loads.
DESKTOP_LIBS=libglib2.0-0,libfontconfig1,libfreetype6,libxkbcommon0,libxkbcommon-x11-0,libdbus-1-3,libegl1,libgl1,\
libx11-xcb1,libxcb-cursor0,libxcb-icccm4,libxcb-image0,libxcb-keysyms1,libxcb-randr0,libxcb-render-util0,\
libxcb-shape0,libxcb-xinerama0,libxcb-xkb1,libxrender1,libxi6,libsm6,libice6,fonts-noto-cjk

if [ ! -x "$ROOTFS/bin/sh" ]; then
    command -v debootstrap >/dev/null || { apt-get update -q && apt-get install -y -q --no-install-recommends debootstrap; }
    MIRROR=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources | grep -v security | head -1)
    debootstrap --variant=minbase --include="$DESKTOP_LIBS" bullseye "$ROOTFS" "$MIRROR"
fi

DEB=$(ls "$OUT"/${ID}_*_amd64.deb | tail -1)
mounted=()
cleanup() { for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || umount -l "$m"; done; }
trap cleanup EXIT
for m in proc dev; do
    if ! mountpoint -q "$ROOTFS/$m"; then
        if [ $m = proc ]; then mount -t proc proc "$ROOTFS/proc"; else mount --bind /dev "$ROOTFS/dev"; fi
        mounted+=("$ROOTFS/$m")
    fi
done

cp "$DEB" "$ROOTFS/tmp/app.deb"
echo "== glibc in the chroot: $(chroot "$ROOTFS" /usr/bin/ldd --version | head -1)"
chroot "$ROOTFS" dpkg -i /tmp/app.deb
APPDIR=/opt/apps/$ID/files/taizhang
echo "== libraries the loader cannot find in the chroot (with the app's own folder on the path):"
chroot "$ROOTFS" /bin/sh -c "cd $APPDIR && find . -name '*.so*' -type f | while read -r f; do
    LD_LIBRARY_PATH=$APPDIR/_internal ldd \"\$f\" 2>/dev/null | grep 'not found' | sed \"s|^|\$f: |\"; done | sort -u" \
    | tee "$OUT/bullseye-missing.txt"
# Only libcups may be missing: printing uses the PC's own CUPS (build.spec), and this chroot has none.
if grep -v 'libcups\.so\.2 => not found' "$OUT/bullseye-missing.txt" | grep -q .; then
    echo "bullseye: libraries missing (above); the .deb's Depends or prune_system_libs.py must cover them" >&2
    exit 1
fi
echo "== smoke test in bullseye"
chroot "$ROOTFS" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
    $APPDIR/taizhang --smoke-test
chroot "$ROOTFS" dpkg -r $ID >/dev/null
echo "bullseye: smoke test passed"
