# The two commands README.md gives: `make run` and `make test`. Both set up what is missing
# (Debian/Ubuntu packages, the virtual environment, Python dependencies) and then act.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# Qt's runtime libraries (TECH-NOTES §1.2); the xcb ones are needed for a real window.
QT_PACKAGES := libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 \
               libxkbcommon0
WINDOW_PACKAGES := libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
                   libxcb-shape0 libxcb-xkb1

.PHONY: run test check pytest system-deps-run system-deps-test clean

run: system-deps-run $(BIN)/.installed
	$(BIN)/isotrack $(ARGS)

test: system-deps-test $(BIN)/.installed-test check

# What CI runs: lint, format, types, layer contracts, then the tests (offscreen Qt).
check:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(BIN)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "Python's venv module is missing: run 'make system-deps-test' as root, or install python3-venv"; exit 1; }

system-deps-run:
	@./.ci/debian-packages $(QT_PACKAGES) $(WINDOW_PACKAGES)

system-deps-test:
	@./.ci/debian-packages $(QT_PACKAGES)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .hypothesis
