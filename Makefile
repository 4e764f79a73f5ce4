# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Django 6.1 and osrm-bindings need CPython 3.12+. Look for one: $PYTHON, then 3.12 (what
# requirements.lock is resolved and tested for), then newer ones, pyenv's installs, plain python3.
define find_python
for c in "$$PYTHON" python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python 2>/dev/null) \
         python3.13 python3.14 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[3-9]*/bin/python 2>/dev/null) python3; do \
  [ -n "$$c" ] || continue; p=$$(command -v "$$c" 2>/dev/null) || continue; \
  "$$p" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; exit 0; }; \
done; exit 1
endef

.PHONY: demo test install services stop clean-data check help

help:
	@echo "make demo   install everything, start the embedded services and the whole topology, seed the demo city"
	@echo "make test   install what tests need and run the whole suite"
	@echo "make stop   stop the checkout's embedded PostgreSQL and Valkey"

$(STAMP): requirements.lock
	@py=$$( $(find_python) ) || { \
	  echo "error: Python 3.12 or newer is required (Django 6.1, osrm-bindings) and none was found." >&2; \
	  echo "       Install one (e.g. 'pyenv install 3.12' or 'apt-get install python3.12-venv')," >&2; \
	  echo "       or point to it: make PYTHON=/path/to/python3.12 demo" >&2; exit 1; }; \
	echo "using $$py ($$($$py -V))"; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  rm -rf $(VENV) && "$$py" -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(PY) manage.py demo

# Three workers on two cores: a worker spends much of its time waiting on browsers, servers and
# subprocesses, and the third fills those waits (887 s against about 1,000 s with two, README "The test
# run"); each worker runs on its own PostgreSQL and Valkey (tests/harness.py, tests/scheduling.py).
TEST_WORKERS ?= 3

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

stop: install
	$(PY) -m command.embedded stop
