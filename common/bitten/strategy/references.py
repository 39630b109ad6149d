"""What each live setup did in its recorded backtests: the range VENOM's live trades are held to.

Figures are copied from docs/venom.md, "What runs live (after look 5)" (`bitten backtest --data
../shared/data/fx [--start/--end]`, spread model): EURUSD 2015-16 (94 trades, 89.4% win, PF
2.68), 2017Q1 on the four pairs (20, 85.0%, 1.94) and 2017Q2 (18, 88.9%, 2.20). A setup's range
is min..max over those runs. The v5 profile has one look per setup (look 5), not a range, so it
has no reference and the Throne says so."""

from __future__ import annotations

from bitten.domain.throne import SetupReference

SOURCE = "docs/venom.md, What runs live (after look 5): EURUSD 2015-16, 2017Q1, 2017Q2"
RUNS = {  # run -> (win rate %, profit factor)
    "EURUSD 2015-16": (89.4, 2.68),
    "2017Q1, four pairs": (85.0, 1.94),
    "2017Q2, four pairs": (88.9, 2.20),
}


def _span(values: list[float]) -> tuple[float, float]:
    return (min(values), max(values))


LIVE_ASIAN_FADE = SetupReference(
    setup="VENOM-v4-earned/asian_fade",  # the engine/setup name live signals carry
    win_rate=_span([wr for wr, _ in RUNS.values()]),
    profit_factor=_span([pf for _, pf in RUNS.values()]),
    runs=len(RUNS),
    source=SOURCE,
)

REFERENCES: tuple[SetupReference, ...] = (LIVE_ASIAN_FADE,)
