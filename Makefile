# One command each on a fresh machine: the venv is created and filled on first use.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run demo test lint bench bench-alerts backtest clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)          ## the platform on the embedded local stack until Ctrl-C
	$(BIN)/bitten run

demo: $(STAMP)         ## bounded replay; last line is the JSON summary
	$(BIN)/bitten demo

test: $(STAMP)         ## unit + integration + end-to-end
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check common tests functions
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/bitten bench scan
	$(BIN)/bitten bench feed
	$(BIN)/bitten bench backtest
	$(BIN)/bitten bench coldstart
	$(BIN)/bitten bench fanout --traders 5000
	$(BIN)/bitten bench fire --n 500
	$(BIN)/bitten bench fire-race --rounds 20 --concurrency 50
	$(BIN)/bitten bench drill --traders 5000

bench-alerts: $(STAMP)  ## one signal to 5,000 traders at Telegram's limits (about 3 min + 10 s)
	$(BIN)/bitten bench alerts --users 5000
	$(BIN)/bitten bench alerts --users 5000 --paid-broadcast

backtest: $(STAMP)
	$(BIN)/bitten backtest --data ../shared/data/fx --json out.json --plot equity.png

clean:
	rm -rf .bitten .pytest_cache
