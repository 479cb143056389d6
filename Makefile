# Sunshine (阳光申办). The first two targets are the whole set-up on a fresh Debian machine:
#   make run    start the app on the embedded reference backend
#   make test   the whole suite, browser tests included (.ci/run calls exactly this)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
APT_PACKAGES := chromium espeak-ng
# The screen-reader tests: GNOME Orca reading the web build in Chromium on a virtual X display.
SCREEN_READER_PACKAGES := orca xvfb xdotool at-spi2-core dbus-x11 speech-dispatcher \
	speech-dispatcher-espeak-ng gsettings-desktop-schemas dconf-gsettings-backend libglib2.0-bin \
	locales
# Python keeps the bytecode it compiles (this machine's environment sets PYTHONDONTWRITEBYTECODE):
# otherwise each of the suite's hundreds of Python processes (test workers, apps, backends)
# compiles every module it imports again, and pytest rewrites every test module's asserts again.
# Measured on two browser and CLI test files from a fresh clone: 78 s of CPU, 50 s with it.
unexport PYTHONDONTWRITEBYTECODE
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
LOCALES := assets/locales
MO_FILES := $(LOCALES)/zh_CN/LC_MESSAGES/sunshine.mo $(LOCALES)/en/LC_MESSAGES/sunshine.mo

.PHONY: run test install system-deps i18n i18n-compile font lint format lock bench openapi a11y-report clean

run: install system-deps i18n-compile
	$(PY) main.py $(ARGS)

# Three runs. The browser tests, two files at a time (pytest-xdist; a file's tests share
# its apps): one browser test alone leaves a third of the machine idle while it waits for
# frames and the app; beside them, at the lowest CPU priority, everything that needs no
# browser, on every core, using what the browser tests leave idle (its output is shown when
# it ends); when the browser tests are done, the screen-reader tests, beside what is left of
# the others, which yield them the CPU at their priority.
# Prints how long it took, pass or fail. With PYTEST_ARGS naming a part of the suite, a run
# that finds none of its tests there (pytest's exit 5) is not a failure.
NO_BROWSER_LOG := test-artifacts/no-browser-tests.log

test: install system-deps i18n-compile
	@start=$$(date +%s); mkdir -p $(dir $(NO_BROWSER_LOG)); \
	nice -n 19 $(PY) -m pytest -n auto -m "not browser" $(PYTEST_ARGS) >$(NO_BROWSER_LOG) 2>&1 & \
	background=$$!; \
	$(PY) -m pytest -n 2 --dist loadfile -m "browser and not screen_reader" $(PYTEST_ARGS); browser=$$?; \
	$(PY) -m pytest -m screen_reader $(PYTEST_ARGS); heard=$$?; \
	wait $$background; first=$$?; \
	echo "--- the tests without a browser (run beside the browser tests) ---"; \
	cat $(NO_BROWSER_LOG); \
	echo "make test: $$(( $$(date +%s) - start )) s"; \
	passed() { [ $$1 -eq 0 ] || { [ -n "$(PYTEST_ARGS)" ] && [ $$1 -eq 5 ]; }; }; \
	passed $$first && passed $$browser && passed $$heard

# --- installation -------------------------------------------------------------------------

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip install --python $(PY) --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# Debian packages: Chromium for the browser tests, espeak-ng (and a player) for read-aloud,
# Orca and its desk for the screen-reader tests, the zh_CN.UTF-8 locale Orca speaks in, and
# PostgreSQL, whose binaries the backend tests start throw-away clusters with
# (tools/pg_cluster.py; the package's own cluster is not used).
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v paplay >/dev/null || command -v pw-play >/dev/null || command -v aplay >/dev/null || \
		command -v play >/dev/null || missing="$$missing alsa-utils"; \
	for pkg in $(SCREEN_READER_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi; \
	locale -a | grep -qix 'zh_CN.utf8' || $(SUDO) localedef -i zh_CN -f UTF-8 zh_CN.UTF-8

# Re-resolve the pinned dependencies after editing pyproject.toml.
lock: | $(PY)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --universal --generate-hashes -o requirements.lock

# --- translations ---------------------------------------------------------------------------

# Extract UI strings into the template and merge them into every catalogue.
i18n: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ --no-location --sort-output \
		--project=sunshine --copyright-holder="Sunshine contributors" -o $(LOCALES)/sunshine.pot .
	$(VENV)/bin/pybabel update -i $(LOCALES)/sunshine.pot -d $(LOCALES) -D sunshine \
		--no-fuzzy-matching --ignore-obsolete --no-wrap
	$(MAKE) i18n-compile

i18n-compile: install $(MO_FILES)

$(LOCALES)/%/LC_MESSAGES/sunshine.mo: $(LOCALES)/%/LC_MESSAGES/sunshine.po
	$(VENV)/bin/pybabel compile -d $(LOCALES) -D sunshine -l $* --statistics

# --- assets and checks ------------------------------------------------------------------------

# Rebuild the bundled CJK subset after adding catalogue data or UI strings.
font: install
	[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || \
		(DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk)
	$(PY) tools/subset_font.py

openapi: install
	$(PY) -m backend.openapi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install system-deps i18n-compile
	$(PY) bench/startup.py
	$(PY) bench/sync.py
	$(PY) bench/search.py
	$(PY) bench/trips.py
	$(PY) bench/events.py
	$(PY) bench/load.py

# Per-screen accessibility table for every mode (also written to test-artifacts/a11y-report.md).
a11y-report: install system-deps i18n-compile
	$(PY) tools/a11y_report.py

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache
