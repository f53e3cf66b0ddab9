# The front door: `make run` and `make test` on a fresh machine (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Every language's compiled catalogue: the portal refuses to start with one missing or older than its .po.
MOS    := $(patsubst %.po,%.mo,$(wildcard portal/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test bench check lock install install-dev translations extract-messages translation-review typography browser wrk pdf-libraries clean

run: pdf-libraries install translations  ## migrate, load the demo events, serve on http://127.0.0.1:5000
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@$(FLASK) users first-admin-hint
	@echo "Mail is written to instance/mail/*.eml (no SMTP server configured)."
	$(FLASK) run --host 127.0.0.1 --port 5000

# Two workers on two cores (pytest-xdist): each has its own database, live server and browser.
TEST_WORKERS ?= 2

test: pdf-libraries install-dev translations browser tests/js/node_modules/.package-lock.json  ## the whole suite
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install-dev translations wrk  ## slow measurements, never part of `make test`
	$(BIN)/python -m pytest -m bench -p no:cacheprovider -s benchmarks $(PYTEST_ARGS)

check: install-dev  ## lint, dead code, import contracts, audit
	$(BIN)/python -m pip install -q "ruff>=0.6,<1" "vulture>=2.11,<3" "pip-audit>=2.7,<3"
	$(BIN)/ruff check portal tests benchmarks
	$(BIN)/vulture  # its settings and the names it must not report: [tool.vulture] in pyproject.toml
	$(BIN)/lint-imports
	$(BIN)/pip-audit --require-hashes --disable-pip -r requirements.lock

lock: install-dev  ## after changing requirements.txt: pin every dependency with its hashes (production installs this)
	$(BIN)/python -m pip install -q "pip-tools>=7.4,<8"
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock requirements.txt

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: $(MOS)  ## compile the catalogues (.po -> .mo) that are missing or older than their source
portal/translations/%/LC_MESSAGES/messages.mo: portal/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d portal/translations -l $*

extract-messages: install  ## after changing texts: refresh the catalogue, then translate the new entries
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k "ngettext:1,2" -k "lazy_ngettext:1,2" -k "pgettext:1c,2" -k "lazy_pgettext:1c,2" -k "npgettext:1c,2,3" --no-location --sort-output -w 120 -o portal/translations/messages.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -w 120 -i portal/translations/messages.pot -d portal/translations

translation-review: install  ## after translating: refresh docs/translation-review.md (long Arabic texts beside their French source)
	$(BIN)/python -m portal.translations.review_file

typography: install  ## French typography of every text (narrow no-break spaces, one apostrophe), then refresh the catalogue
	$(BIN)/python -m tests.support.typography --fix
	$(MAKE) -s extract-messages

# Debian's Chromium for the browser tests (never a browser download).
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }

# Debian's wrk, the load generator of the HTTP benchmarks (benchmarks/http_load.py).
wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }

# Pango (with HarfBuzz, for Arabic shaping; its subsetter, without which WeasyPrint warns) and a font with Arabic glyphs: WeasyPrint lays the
# invitation letters out with them.
pdf-libraries:
	@{ ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 && fc-list | grep -q DejaVuSans; } || \
		{ $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
		libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; }

tests/js/node_modules/.package-lock.json: tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

clean:
	rm -rf $(VENV) tests/js/node_modules .pytest_cache
