# Two commands for a new user: `make run` and `make test`. Both bootstrap themselves.
VENV := .venv
# No calls home from Rasa: this machine (and a municipality's server) may have no internet.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') bot/components.py $(wildcard language/*.py) bot/crisis.py bot/safety.py $(wildcard bot/safety_corpus/*.yml)

.PHONY: run production test setup catalogue train validate lint bench shell stories nlu-test browser

run: catalogue models/.trained  ## set up and start Rasa (5005), actions (5055) and the API (8000)
	$(BIN)/honcho start -f Procfile

# The production set-up on this machine (README, Production): the local PostgreSQL and Redis
# unless the environment names others.
production: export PK_DATABASE_URL ?= postgresql+psycopg2://postgres@127.0.0.1:5432/perhekeskus
production: export PK_TRACKER_STORE_URL ?= postgresql+psycopg2://postgres@127.0.0.1:5432/perhekeskus_rasa
production: export PK_LOCK_STORE_URL ?= redis://127.0.0.1:6379/1
production: setup models/.trained  ## nginx on :8080 before two Rasa servers, actions and the API, under supervisord
	scripts/system-packages.sh
	$(BIN)/python -m deploy.production

test: setup validate models/.trained  ## every test: data validation, pytest (with the browser tests), test conversations
	scripts/system-packages.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest
	$(BIN)/rasa test core --stories tests/test_stories.yml --model models --fail-on-prediction-errors --out var/results-core

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/bootstrap.sh
	scripts/bootstrap.sh

catalogue: setup  ## migrate the catalogue database and load the seed data
	$(BIN)/python -m service_catalog.seed

train: models/.trained

# Rasa itself skips training when nothing changed since the last model.
models/.trained: $(STAMP) $(MODEL_INPUTS)
	$(BIN)/rasa train --out models --fixed-model-name perhekeskus
	touch $@

validate: setup
	$(BIN)/rasa data validate --domain domain.yml --data data

browser:  ## install the system Chromium and nginx the browser and production tests drive
	scripts/system-packages.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

shell: catalogue models/.trained  ## chat in the terminal (starts the action server alongside)
	$(BIN)/honcho start -f Procfile actions & \
	  $(BIN)/rasa shell --model models --endpoints endpoints.yml; kill %1

bench: catalogue models/.trained  ## routing benchmark against the running bot, and the BM25 baseline
	$(BIN)/python -m bench.routing
