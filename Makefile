# Vitrine Studio: `make run` starts the app, `make test` runs the whole suite; both set up .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup run demo server test test-pg lint bench package screenshots clean

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

# The platform server on its embedded SQLite database, with the demo merchants and curator
# (their email and password are printed); ARGS="--data DIR" keeps it elsewhere.
server: setup
	$(BIN)/studio-server run --demo $(ARGS)

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The server suite on PostgreSQL: a throw-away cluster (VITRINE_TEST_PG=start, run as
# `nobody` under root) or VITRINE_TEST_PG=postgresql+psycopg://user@host:port/db.
test-pg: setup
	VITRINE_TEST_PG=$(or $(VITRINE_TEST_PG),start) $(BIN)/python -m pytest -q -p no:cacheprovider tests/server $(PYTEST_ARGS)

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
