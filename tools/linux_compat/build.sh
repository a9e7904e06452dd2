#!/usr/bin/env bash
# A Linux build of 落实台账 that runs on glibc 2.28 (UOS 20, Kylin V10), made on this Debian machine.
#
#   tools/linux_compat/build.sh [all]     # fetch, toolchain, deps, python, wheels, dist, check, deb
#   tools/linux_compat/build.sh STAGE...  # one or more stages by name (see the bottom of this file)
#
# Why: Debian's own python3.11 needs GLIBC_2.35, so a PyInstaller folder made with it does too. Here CPython and
# the static libraries it links (zlib, bzip2, xz, libffi, sqlite) are compiled with `zig cc -target
# x86_64-linux-gnu.2.28`: zig links against glibc 2.28's symbol versions whatever glibc the build machine has.
# PySide6 6.8.3 and the other wheels are manylinux_2_28 or older. PyInstaller's bootloader is rebuilt from its
# sdist with the same zig (it needs GLIBC_2.14, as the wheel's does).
#
# Inputs, all pinned by sha256: sources.lock (upstream tarballs from Debian's source packages, through apt),
# tools.lock (ziglang from PyPI), bootloader.lock (PyInstaller's sdist), wheels.lock (the app's wheels for cp311
# manylinux x86_64). Everything is kept in
# the cache (TAIZHANG_LINUX_COMPAT_CACHE, default ~/.cache/taizhang-linux-compat); with a full cache nothing is
# downloaded. Host packages needed: tcl (sqlite's build generates its amalgamation), dpkg-dev, binutils.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${TAIZHANG_LINUX_COMPAT_CACHE:-$HOME/.cache/taizhang-linux-compat}
DL=$CACHE/dl
WORK=$CACHE/build
DEPS=$CACHE/deps            # static libraries, -fPIC
PYPREFIX=$CACHE/python      # the glibc-2.28 CPython (shared libpython)
TOOLS=$CACHE/tools-venv     # ziglang
TC=$CACHE/toolchain         # cc/ar/ranlib wrappers around zig
APPENV=$CACHE/app-venv      # venv of the glibc-2.28 Python with the pinned wheels and PyInstaller
OUT=$ROOT/dist/linux-2.28
GLIBC_TARGET=2.28
JOBS=${JOBS:-2}
HOST_PY=${HOST_PY:-$ROOT/.venv/bin/python}

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'linux_compat: %s\n' "$*" >&2; exit 1; }
sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
lock_lines() { grep -v '^\s*#' "$1" | grep -v '^\s*$'; }

# --- fetch: upstream tarballs through apt's deb-src view of the machine's own Debian sources -------------------
apt_private() {
    # A private apt state with deb-src entries made from /etc/apt/sources.list.d/debian.sources (no system change).
    local d=$CACHE/apt
    mkdir -p "$d/lists/partial"
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$d/src.sources"
    APT_OPTS=(-o "Dir::Etc::SourceList=$d/src.sources" -o Dir::Etc::SourceParts=/nonexistent
              -o "Dir::State::Lists=$d/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
    if [ ! -f "$d/updated" ]; then apt-get "${APT_OPTS[@]}" update -q >&2 && touch "$d/updated"; fi
}

fetch_orig() {  # package file sha256: try every version apt knows until one serves this exact tarball
    local pkg=$1 file=$2 sum=$3 ver uri
    sha_ok "$DL/$file" "$sum" && return 0
    [ -n "${APT_OPTS+x}" ] || apt_private
    for ver in $(apt-cache "${APT_OPTS[@]}" showsrc "$pkg" | sed -n 's/^Version: //p'); do
        uri=$(apt-get "${APT_OPTS[@]}" source --print-uris "$pkg=$ver" 2>/dev/null | grep -o "'[^']*/$file'" | tr -d "'" || true)
        [ -n "$uri" ] || continue
        python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$uri" "$DL/$file.part" \
            2>/dev/null && mv "$DL/$file.part" "$DL/$file" && break
    done
    sha_ok "$DL/$file" "$sum" || die "$file: not downloadable or sha256 mismatch (want $sum)"
}

stage_fetch() {
    log "fetch sources and tools"
    mkdir -p "$DL"
    while read -r pkg file sum; do fetch_orig "$pkg" "$file" "$sum"; done < <(lock_lines "$HERE/sources.lock")
    # ziglang and the app's wheels: PyPI, hash-checked by pip.
    "$HOST_PY" -m pip download -q --disable-pip-version-check --no-deps --require-hashes --only-binary=:all: \
        --platform manylinux_2_12_x86_64 --platform manylinux2010_x86_64 -d "$DL/tools" -r "$HERE/tools.lock"
    "$HOST_PY" -m pip download -q --disable-pip-version-check --no-deps --require-hashes --no-binary=:all: \
        -d "$DL/sdist" -r "$HERE/bootloader.lock"
    "$HOST_PY" -m pip download -q --disable-pip-version-check --no-deps --require-hashes --only-binary=:all: \
        --python-version 3.11 --implementation cp --abi cp311 \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        --platform manylinux_2_5_x86_64 --platform manylinux1_x86_64 -d "$DL/wheels" -r "$HERE/wheels.lock"
}

# --- toolchain: zig from PyPI, wrapped as cc/ar/ranlib for glibc 2.28 ---------------------------------------------
stage_toolchain() {
    log "toolchain (zig cc -target x86_64-linux-gnu.$GLIBC_TARGET)"
    [ -x "$TOOLS/bin/python" ] || python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$DL/tools" --require-hashes \
        -r "$HERE/tools.lock"
    local zig
    zig=$("$TOOLS/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
    mkdir -p "$TC"
    # No UBSan traps (zig's default without -O), one target for every compile and link.
    # configure's `cc --version`/`-v` probes go to clang, which rejects the ".2.28" in the triple: the bare glibc
    # triple there (waf reads the target from `cc -v` to tell glibc from musl).
    local kind
    for kind in cc c++; do
        cat > "$TC/$kind" <<EOF
#!/bin/sh
export ZIG_GLOBAL_CACHE_DIR="$CACHE/zig-cache" ZIG_LOCAL_CACHE_DIR="$CACHE/zig-cache"
case "\$*" in --version|-v|-V|-qversion|-dumpversion) exec "$zig" $kind -target x86_64-linux-gnu "\$@";; esac
# Preprocessing stdin (waf's compiler probe `cc -dM -E -`) also goes to clang's driver: no target there either.
case " \$* " in *" -E - "*|*" - -E "*|*" -E "*" - "*) exec "$zig" $kind -target x86_64-linux-gnu "\$@";; esac
# zig's linker knows -soname but not its short form -h (CPython links libpython with -Wl,-h<name>). CPython's
# setup.py adds the build machine's /usr/include/<multiarch>, /usr/local/include and their lib dirs: dropped,
# or this Debian's glibc headers would shadow zig's 2.28 ones.
for a in "\$@"; do shift; case "\$a" in
    -Wl,-h*) set -- "\$@" "-Wl,-soname,\${a#-Wl,-h}";;
    -I/usr/include*|-I/usr/local/include*|-L/usr/lib*|-L/lib*|-L/usr/local/lib*) ;;
    *) set -- "\$@" "\$a";;
esac; done
# A link of shared libraries alone (CPython's libpython3.so stub) goes to clang's driver, which rejects the triple:
# give it an empty object file to link.
case " \$* " in *" -shared "*) case "\$*" in *.c\ *|*.c|*.o\ *|*.o|*.a\ *|*.a) ;; *) set -- "\$@" "$TC/empty.o";; esac;; esac
exec "$zig" $kind -target x86_64-linux-gnu.$GLIBC_TARGET -fno-sanitize=undefined "\$@"
EOF
    done
    printf '#!/bin/sh\nexec "%s" ar "$@"\n' "$zig" > "$TC/ar"
    printf '#!/bin/sh\nexec "%s" ranlib "$@"\n' "$zig" > "$TC/ranlib"
    chmod +x "$TC/cc" "$TC/c++" "$TC/ar" "$TC/ranlib"
    printf 'void taizhang_empty_object(void) {}\n' > "$TC/empty.c"
    "$TC/cc" -O2 -fPIC -c "$TC/empty.c" -o "$TC/empty.o"
    printf '#include <stdio.h>\nint main(void){puts("zig cc ok");return 0;}\n' > "$TC/hello.c"
    "$TC/cc" -O2 "$TC/hello.c" -o "$TC/hello" && "$TC/hello" >&2
}

tc_env() {
    export CC=$TC/cc CXX=$TC/c++ AR=$TC/ar RANLIB=$TC/ranlib
    # zig turns __DATE__/__TIME__ into an error (-Werror=date-time); CPython stamps its build date with them.
    export CFLAGS="-O2 -fPIC -Wno-error=date-time" CPPFLAGS="-I$DEPS/include" LDFLAGS="-L$DEPS/lib"
    # Only our own .pc files: nothing of the build machine's libraries may leak in.
    export PKG_CONFIG_LIBDIR=$DEPS/lib/pkgconfig PKG_CONFIG_PATH=
}

unpack() {  # tarball-name → prints the fresh source directory
    local file=$1 dir=$WORK/${1%%_*}
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xf "$DL/$file" -C "$dir"
    find "$dir" -mindepth 1 -maxdepth 1 -type d | head -1
}

# --- deps: static, position-independent libraries for CPython's extension modules ------------------------------
stage_deps() {
    log "deps: zlib bzip2 xz libffi sqlite (static)"
    local stamp=$DEPS/.built-$(cat "$HERE/sources.lock" "$HERE/tools.lock" | sha256sum | cut -c1-16)
    if [ -f "$stamp" ]; then echo "deps: up to date ($stamp)" >&2; return 0; fi
    tc_env
    mkdir -p "$DEPS/lib/pkgconfig" "$DEPS/include" "$WORK"
    local src
    mk() { make -j"$JOBS" || make; make install; }  # a serial retry: a first parallel zig run can race on its cache
    : > "$WORK/deps.log"
    src=$(unpack zlib_1.2.13.dfsg.orig.tar.bz2)
    (cd "$src" && ./configure --static --prefix="$DEPS" >/dev/null && mk) >>"$WORK/deps.log" 2>&1 || die "deps: see $WORK/deps.log"

    src=$(unpack bzip2_1.0.8.orig.tar.gz)
    (cd "$src" && make -j"$JOBS" CC="$CC" AR="$AR" RANLIB="$RANLIB" CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" libbz2.a >>"$WORK/deps.log" 2>&1 \
        && cp libbz2.a "$DEPS/lib/" && cp bzlib.h "$DEPS/include/")

    src=$(unpack xz-utils_5.4.1.orig.tar.xz)
    (cd "$src" && ./configure --prefix="$DEPS" --libdir="$DEPS/lib" --disable-shared --enable-static --with-pic \
        --disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo --disable-lzma-links --disable-scripts \
        --disable-doc --disable-nls >/dev/null && mk) >>"$WORK/deps.log" 2>&1 || die "deps: see $WORK/deps.log"

    # 3.4.4's tramp.c calls a function it never declared, an error for clang >= 16: no static trampolines
    # (the classic closure path), and that diagnostic back to a warning.
    src=$(unpack libffi_3.4.4.orig.tar.gz)
    (cd "$src" && CFLAGS="$CFLAGS -Wno-error=implicit-function-declaration" ./configure --disable-exec-static-tramp --prefix="$DEPS" --libdir="$DEPS/lib" --disable-shared --enable-static --with-pic \
        --disable-docs --disable-multi-os-directory >/dev/null && mk) >>"$WORK/deps.log" 2>&1 || die "deps: see $WORK/deps.log"

    # sqlite: the full source tree; its amalgamation is generated with the build machine's cc and tclsh, then
    # compiled with zig. Options as Debian's libsqlite3 (FTS, R*Tree, column metadata…).
    src=$(unpack sqlite3_3.40.1.orig.tar.xz)
    (cd "$src" && env -u CC -u CFLAGS -u CPPFLAGS -u LDFLAGS ./configure --disable-tcl --disable-readline >>"$WORK/deps.log" 2>&1 \
        && make sqlite3.c >>"$WORK/deps.log" 2>&1 \
        && "$CC" $CFLAGS -c sqlite3.c -o sqlite3.o -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_FTS3 \
            -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE \
            -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_MATH_FUNCTIONS \
            -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DSQLITE_ENABLE_LOAD_EXTENSION \
        && rm -f "$DEPS/lib/libsqlite3.a" && "$AR" rcs "$DEPS/lib/libsqlite3.a" sqlite3.o \
        && cp sqlite3.h sqlite3ext.h "$DEPS/include/") >>"$WORK/deps.log" 2>&1 || die "sqlite: see $WORK/deps.log"
    cat > "$DEPS/lib/pkgconfig/sqlite3.pc" <<EOF
Name: SQLite
Description: SQL database engine (static, glibc $GLIBC_TARGET)
Version: 3.40.1
Libs: -L$DEPS/lib -lsqlite3 -lm -ldl -lpthread
Cflags: -I$DEPS/include
EOF
    ls -l "$DEPS/lib"/*.a >&2
    rm -f "$DEPS"/.built-* && touch "$stamp"
}

# --- python: CPython 3.11 with a shared libpython (PyInstaller needs one) ----------------------------------------
stage_python() {
    log "python: CPython 3.11.2 for glibc $GLIBC_TARGET"
    local stamp=$PYPREFIX/.built-$(cat "$HERE/sources.lock" "$HERE/tools.lock" | sha256sum | cut -c1-16)
    if [ -f "$stamp" ]; then echo "python: up to date ($stamp)" >&2; return 0; fi
    tc_env
    local src
    src=$(unpack python3.11_3.11.2.orig.tar.gz)
    (cd "$src" && ./configure --prefix="$PYPREFIX" --enable-shared --with-ensurepip=install --without-static-libpython \
            LIBFFI_CFLAGS="-I$DEPS/include" LIBFFI_LIBS="-L$DEPS/lib -lffi" \
            LIBSQLITE3_CFLAGS="-I$DEPS/include" LIBSQLITE3_LIBS="-L$DEPS/lib -lsqlite3 -lm -ldl -lpthread" \
            ZLIB_CFLAGS="-I$DEPS/include" ZLIB_LIBS="-L$DEPS/lib -lz" \
            BZIP2_CFLAGS="-I$DEPS/include" BZIP2_LIBS="-L$DEPS/lib -lbz2" \
            LIBLZMA_CFLAGS="-I$DEPS/include" LIBLZMA_LIBS="-L$DEPS/lib -llzma" > "$WORK/python-configure.log" 2>&1 \
        && make -j"$JOBS" > "$WORK/python-make.log" 2>&1 \
        && rm -rf "$PYPREFIX" && make install > "$WORK/python-install.log" 2>&1) \
        || die "CPython build failed: see $WORK/python-*.log"
    LD_LIBRARY_PATH=$PYPREFIX/lib "$PYPREFIX/bin/python3.11" -c \
        'import ctypes, sqlite3, zlib, bz2, lzma, _decimal, pyexpat, hashlib; print("modules ok, sqlite", sqlite3.sqlite_version)'
    touch "$stamp"
}

# --- bootloader: PyInstaller's run/run_d rebuilt from its sdist with the same zig (the wheel's own need only
# GLIBC_2.14 already; this keeps every compiled file of the folder made here, from pinned source) --------------
stage_bootloader() {
    log "bootloader: PyInstaller's, for glibc $GLIBC_TARGET"
    local stamp=$CACHE/bootloader/.built-$(cat "$HERE/bootloader.lock" "$HERE/tools.lock" | sha256sum | cut -c1-16)
    if [ -f "$stamp" ]; then echo "bootloader: up to date ($stamp)" >&2; return 0; fi
    local src sdist
    sdist=$(basename "$(ls "$DL"/sdist/pyinstaller-*.tar.gz | tail -1)")
    mkdir -p "$WORK" && rm -rf "$WORK/pyinstaller" && mkdir -p "$WORK/pyinstaller"
    tar -xzf "$DL/sdist/$sdist" -C "$WORK/pyinstaller"
    src=$(find "$WORK/pyinstaller" -mindepth 1 -maxdepth 1 -type d | head -1)
    (cd "$src/bootloader" && CC=$TC/cc python3 ./waf --clang --static-zlib all) > "$WORK/bootloader.log" 2>&1 \
        || die "bootloader build failed: see $WORK/bootloader.log"
    rm -rf "$CACHE/bootloader" && mkdir -p "$CACHE/bootloader"
    cp "$src/PyInstaller/bootloader/Linux-64bit-intel/run" "$src/PyInstaller/bootloader/Linux-64bit-intel/run_d" \
        "$CACHE/bootloader/" || die "bootloader: no Linux-64bit-intel/run (see $WORK/bootloader.log)"
    touch "$stamp"
}

# --- app: the pinned wheels into a venv of that Python, then PyInstaller with build.spec --------------------------
stage_app() {
    log "app venv + PyInstaller"
    # That Python finds its libpython through LD_LIBRARY_PATH, set for its commands only (a leak into the
    # build machine's python3 would load the wrong libpython).
    cpy() { LD_LIBRARY_PATH=$PYPREFIX/lib "$@"; }
    rm -rf "$APPENV"
    cpy "$PYPREFIX/bin/python3.11" -m venv "$APPENV"
    cpy "$APPENV/bin/python" -m pip install -q --disable-pip-version-check --no-index --find-links "$DL/wheels" \
        --require-hashes --only-binary=:all: -r "$HERE/wheels.lock"
    cp "$CACHE/bootloader/run" "$CACHE/bootloader/run_d" \
        "$APPENV/lib/python3.11/site-packages/PyInstaller/bootloader/Linux-64bit-intel/"
    rm -rf "$OUT" "$ROOT/build/linux-2.28"
    (cd "$ROOT" && cpy "$APPENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$OUT" --workpath "$ROOT/build/linux-2.28" build.spec)
    python3 "$HERE/prune_system_libs.py" "$ROOT/build/linux-2.28" "$OUT/taizhang"
    cp "$ROOT/LICENSE" "$OUT/taizhang/LICENSE.txt"
    (cd "$ROOT" && cpy "$APPENV/bin/python" -m core.licenses "$OUT/taizhang/licenses")
    du -sh "$OUT/taizhang" >&2
}

stage_check() {
    log "check: highest GLIBC_ per ELF file"
    python3 "$HERE/glibc_check.py" --max "$GLIBC_TARGET" "$OUT/taizhang"
}

stage_smoke() {
    log "smoke test (this machine)"
    QT_QPA_PLATFORM=offscreen "$OUT/taizhang/taizhang" --smoke-test
}

stage_deb() {
    log "deb for UOS (/opt/apps/cn.taizhang.app)"
    "$HERE/make_deb.sh" "$OUT/taizhang" "$OUT"
}

stage_bullseye() {
    log "smoke test in a Debian bullseye chroot (glibc 2.31)"
    "$HERE/chroot_test.sh" "$OUT"
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] && [ "${stages[0]}" != all ] || stages=(fetch toolchain deps python bootloader app check smoke deb)
for s in "${stages[@]}"; do
    declare -F "stage_$s" >/dev/null || die "unknown stage: $s"
    start=$(date +%s); "stage_$s"; echo "linux_compat: $s took $(( $(date +%s) - start )) s" >&2
done
