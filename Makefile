# partybuild — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: run test bench venv lint format messages check-deploy clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## run: set up, migrate, load the demo data into an empty database, serve web + worker + beat
## on 127.0.0.1:$(PORT) with DEBUG off; `make run DEBUG=1` for development (make passes DEBUG on)
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

## test: set up and run the whole suite (browser tests skip without Chromium)
## (worksteal: an idle worker takes tests queued for the other, so a few long tests at the end
## do not leave one core waiting; 530 s -> 430 s on SQLite on two cores)
test: venv
	$(PY) -m pytest -n 2 --dist worksteal

## bench: build SIZE members in the benchmark's own database and measure every figure against its floor
## (bench/README.md); on PostgreSQL with DATABASE_URL=postgres://…  Not part of `make test`.
SIZE ?= 10000
bench: venv
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; } \
		|| { echo "wrk is needed for the web figures (apt-get install wrk)"; exit 1; }
	$(PY) bench/run.py --size $(SIZE) $(BENCH_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: refresh the catalogues (needs gettext), fill zh_Hant from zh_Hans with OpenCC, compile them
messages: venv
	$(PY) manage.py makemessages -l zh_Hans -l zh_Hant --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=var
	$(PY) scripts/fill_hant.py
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: venv
	DJANGO_SETTINGS_MODULE=partybuild.settings.prod SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var staticfiles
