# Two commands do the whole set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-tools lint bench dist dist-tools dist-check dist-windows dist-windows-installer windows-test \
	windows-lock windows-tools dist-linux-compat dist-linux-compat-check dist-linux-compat-bullseye linux-compat-tools clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Names the missing Debian/Ubuntu packages when Qt's xcb plugin could not load (README: System libraries on Linux).
run: $(STAMP)
	@$(PY) -m gui.xcb_check
	$(PY) main.py $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .

# Every benchmark, each beside its floor, as one JSON document (docs/performance.md). BENCH_ARGS=--quick: 10k tasks;
# BENCH_ARGS=--smoke (CI): each benchmark once at its smallest size, only to prove every one still runs.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py $(BENCH_ARGS)

BUILD_STAMP := $(VENV)/.build-stamp
$(BUILD_STAMP): $(STAMP) requirements-build.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-build.txt
	touch $(BUILD_STAMP)

# The xcb libraries build.spec carries into the build (README: System libraries on Linux), installed when missing.
XCB_CARRIED := libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1
dist-tools:
	@for lib in $(XCB_CARRIED); do ldconfig -p | grep -q "$$lib " || missing=1; done; \
	if [ -n "$$missing" ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1; fi

# CI only (root): LibreOffice and poppler, so the tests that read our Word and Excel files the way LibreOffice
# does (test_report_office_lo.py, test_sheets_lo.py) run instead of skipping. make test itself needs neither.
test-tools:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils; fi

# One-folder build in dist/taizhang/ (PyInstaller, see build.spec).
dist: $(BUILD_STAMP) dist-tools
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN build.spec
	cp LICENSE dist/taizhang/LICENSE.txt
	$(PY) -m core.licenses dist/taizhang/licenses
	@du -sh dist/taizhang

# Runs the frozen build's smoke test (every dialog opened and closed) and the frozen walk (the README's command
# list, compared with the source: tools/frozen_walk.py), so a missing data file or hidden import shows up here;
# fails if the folder outgrows DIST_MAX_MB (unpacked, MiB).
DIST_MAX_MB ?= 150
dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/taizhang/taizhang --smoke-test
	$(PY) tools/frozen_walk.py dist/taizhang/taizhang
	@size=$$(du -sm dist/taizhang | cut -f1); echo "dist/taizhang: $$size MiB (limit $(DIST_MAX_MB))"; \
		test $$size -lt $(DIST_MAX_MB)

# Windows one-folder build in dist/windows/taizhang/ (taizhang.exe + console twin taizhang-cli.exe), made here under
# Wine from a PSF-signed CPython and hash-pinned wheels (tools/windows/winbuild.py), then both executables'
# --smoke-test under Wine and the frozen walk with taizhang-cli.exe under Wine; fails above DIST_WIN_MAX_MB. Downloads are cached in ~/.cache/taizhang-windows
# (TAIZHANG_WIN_CACHE): with a full cache it runs offline.
DIST_WIN_MAX_MB ?= 120
WINE64 := /usr/lib/wine/wine64
windows-tools:
	@if [ ! -x $(WINE64) ] || ! command -v osslsigncode >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			wine wine64 libwine osslsigncode; fi

dist-windows: $(STAMP) windows-tools
	$(PY) tools/windows/winbuild.py dist
	$(PY) tools/frozen_walk.py --wine dist/windows/taizhang/taizhang-cli.exe
	@size=$$(du -sm dist/windows/taizhang | cut -f1); echo "dist/windows/taizhang: $$size MiB (limit $(DIST_WIN_MAX_MB))"; \
		test $$size -lt $(DIST_WIN_MAX_MB)

# Optional: a per-user setup program with a Start-menu entry (NSIS) around that folder, installed, smoke-tested and
# uninstalled under Wine. The zipped folder stays the first choice.
dist-windows-installer: windows-tools
	@command -v makensis >/dev/null || (apt-get update -q && apt-get install -y -q --no-install-recommends nsis)
	$(PY) tools/windows/winbuild.py installer

# The Windows-relevant tests (paths, report, backup, restore, Windows behaviour, licences) with the Windows Python
# under Wine; ARGS=tests/test_x.py runs others.
windows-test: $(STAMP) windows-tools
	$(PY) tools/windows/winbuild.py test $(ARGS)

# After changing a pin in requirements*.txt: re-resolve the Windows wheels and their hashes (needs the network).
windows-lock: $(STAMP)
	$(PY) tools/windows/winbuild.py lock

# Linux build for glibc 2.28 (统信 UOS 20, 麒麟 Kylin V10), x86_64: dist/linux-2.28/taizhang/ and a UOS-layout .deb.
# CPython 3.11 and its libraries are compiled here with `zig cc -target x86_64-linux-gnu.2.28` from hash-pinned
# sources (tools/linux_compat/build.sh, README: 统信 UOS 与麒麟). Takes ~20 min on 2 cores: not in CI. Downloads and
# the compiled Python are cached in ~/.cache/taizhang-linux-compat (TAIZHANG_LINUX_COMPAT_CACHE).
linux-compat-tools:
	@if ! command -v tclsh >/dev/null || ! command -v dpkg-deb >/dev/null || ! command -v readelf >/dev/null \
		|| ! command -v debootstrap >/dev/null; then apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends tcl dpkg-dev binutils debootstrap; fi

dist-linux-compat: linux-compat-tools
	HOST_PY=$(abspath $(PY)) tools/linux_compat/build.sh all

# Lists the highest GLIBC_ version each ELF file in the folder needs; fails above 2.28 (or when a file outside the
# Qt wheels needs a newer GLIBCXX/CXXABI than Qt does).
dist-linux-compat-check:
	python3 tools/linux_compat/glibc_check.py --max 2.28 dist/linux-2.28/taizhang

# Installs the .deb in a Debian bullseye chroot (glibc 2.31; made by debootstrap once, cached) and runs the
# frozen --smoke-test there.
dist-linux-compat-bullseye: linux-compat-tools
	tools/linux_compat/chroot_test.sh dist/linux-2.28

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
