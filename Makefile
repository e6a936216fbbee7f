# Learnscape: `make run` sets up and starts the app; `make test` sets up and runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium

.PHONY: run test venv venv-test chromium bench clean

$(VENV)/.base: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(PY) -m pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.base
venv-test: $(VENV)/.test

run: venv
	$(PY) -m server

chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium fonts-wqy-microhei; }

test: venv-test chromium
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -q

bench: venv-test chromium
	OPENBLAS_NUM_THREADS=1 $(PY) bench/engine.py
	OPENBLAS_NUM_THREADS=1 $(PY) bench/stream.py
	OPENBLAS_NUM_THREADS=1 $(PY) bench/landscape.py
	OPENBLAS_NUM_THREADS=1 $(PY) bench/browser.py
	OPENBLAS_NUM_THREADS=1 $(PY) bench/digits.py
	OPENBLAS_NUM_THREADS=1 $(PY) bench/text.py
	OPENBLAS_NUM_THREADS=1 $(PY) bench/sweep.py

clean:
	rm -rf $(VENV) .pytest_cache
