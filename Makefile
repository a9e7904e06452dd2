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

run: $(STAMP)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .

bench: $(STAMP)
	@for b in bench/bench_*.py; do QT_QPA_PLATFORM=offscreen $(PY) $$b || exit 1; done

BUILD_STAMP := $(VENV)/.build-stamp
$(BUILD_STAMP): $(STAMP) requirements-build.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-build.txt
	touch $(BUILD_STAMP)

# One-folder build in dist/taizhang/ (PyInstaller, see build.spec).
dist: $(BUILD_STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN build.spec
	@du -sh dist/taizhang

# Runs the frozen build's smoke test, so a missing data file or hidden import shows up here.
dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/taizhang/taizhang --smoke-test

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
