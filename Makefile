# Two commands do the whole set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench dist dist-check clean

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

# Every benchmark, each beside its floor, as one JSON document (docs/performance.md). BENCH_ARGS=--quick: 10k tasks.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py $(BENCH_ARGS)

BUILD_STAMP := $(VENV)/.build-stamp
$(BUILD_STAMP): $(STAMP) requirements-build.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-build.txt
	touch $(BUILD_STAMP)

# One-folder build in dist/taizhang/ (PyInstaller, see build.spec).
dist: $(BUILD_STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN build.spec
	@du -sh dist/taizhang

# Runs the frozen build's smoke test, so a missing data file or hidden import shows up here;
# fails if the folder outgrows DIST_MAX_MB (unpacked, MiB).
DIST_MAX_MB ?= 150
dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/taizhang/taizhang --smoke-test
	@size=$$(du -sm dist/taizhang | cut -f1); echo "dist/taizhang: $$size MiB (limit $(DIST_MAX_MB))"; \
		test $$size -lt $(DIST_MAX_MB)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
