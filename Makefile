# The two commands: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test venv runtime system system-test frontend lint typecheck pytest clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,torch]' triton
	touch $@

venv: $(VENV)/.installed

runtime:
	scripts/build-runtime .runtime

system:
	scripts/setup-system run

system-test:
	scripts/setup-system test

frontend:
	@if [ -f frontend/package.json ]; then scripts/build-frontend; fi

# The embedded judge keeps one session ahead for each kind it served lately
# (GRADEBOX_WARM_POOL: torch already imported when the next submission comes) and
# grades as many submissions at once as the machine has CPUs (GRADEBOX_JUDGE_WORKERS).
run: system venv runtime frontend
	GRADEBOX_WARM_POOL=$${GRADEBOX_WARM_POOL:-1} GRADEBOX_JUDGE_WORKERS=$${GRADEBOX_JUDGE_WORKERS:-$$(nproc)} \
		$(VENV)/bin/gradebox server run --host $(HOST) --port $(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

pytest: venv
	$(PY) -m pytest $(PYTEST_ARGS)

test: system-test venv runtime frontend lint typecheck
	scripts/run-tests $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .runtime frontend/dist frontend/node_modules .gradebox
