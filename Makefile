# Vitrine Studio: `make run` starts the app, `make test` runs the whole suite; both set up .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup run demo test lint bench package screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	QT_QPA_PLATFORM= $(BIN)/python -m studio.ui.app $(ARGS)

demo: setup
	QT_QPA_PLATFORM= $(BIN)/python -m studio.ui.app --demo

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check studio tests bench tools
	$(BIN)/ruff format --check studio tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	desktop-file-validate packaging/io.vitrine.Studio.desktop
	appstreamcli validate --no-net packaging/io.vitrine.Studio.metainfo.xml

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

# Every workspace in light and dark at 1366x768 on a fresh demo workspace (SHOTS=folder).
screenshots: setup
	$(BIN)/python tools/screenshots.py --out $(or $(SHOTS),build/screenshots)

package: setup
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/vitrine-studio.spec
	QT_QPA_PLATFORM=offscreen dist/vitrine-studio/vitrine-studio --smoke-test --home "$$(mktemp -d)"

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache bench-results.json
