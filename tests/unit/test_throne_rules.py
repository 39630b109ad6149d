"""The Throne's pure rules: VENOM drift against the backtest range, and where that range comes
from (the figures docs/venom.md records, not numbers made up for the page)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bitten.config import PROJECT_ROOT
from bitten.domain.drift import drift_of, profit_factor
from bitten.domain.throne import LiveResult, SetupReference
from bitten.strategy.references import LIVE_ASIAN_FADE, RUNS

REF = SetupReference(
    setup="S", win_rate=(80.0, 90.0), profit_factor=(1.5, 2.5), runs=3, source="test"
)


def result(trades: int, wins: int, won: str, lost: str) -> LiveResult:
    return LiveResult(
        setup="S", trades=trades, wins=wins, pips_won=Decimal(won), pips_lost=Decimal(lost)
    )


def test_inside_the_range_is_ok():
    # 17 of 20 won (85%), 170 pips won against 85 lost: PF 2.0
    drift = drift_of(result(20, 17, "170", "85"), REF, min_trades=20)
    assert (drift.status, drift.win_rate, drift.profit_factor) == ("ok", 85.0, 2.0)


@pytest.mark.parametrize(
    ("wins", "won", "lost", "note"),
    [
        (14, "170", "85", "win rate 70.0% below the backtest's 80.0%..90.0%"),
        (17, "170", "200", "PF 0.85 below the backtest's 1.5..2.5"),
        (19, "300", "10", "win rate 95.0% above the backtest's 80.0%..90.0%; PF 30.0 above"),
    ],
)
def test_outside_the_range_is_drift_and_says_which_way(wins, won, lost, note):
    drift = drift_of(result(20, wins, won, lost), REF, min_trades=20)
    assert drift.status == "drift" and drift.note.startswith(note)


def test_below_the_minimum_it_is_too_few_trades_whatever_the_figures():
    drift = drift_of(result(19, 0, "0", "190"), REF, min_trades=20)
    assert (drift.status, drift.note) == ("too few trades", "too few trades: 19 of the 20 needed")


def test_a_setup_without_a_recorded_range_says_so():
    assert drift_of(result(50, 40, "400", "100"), None, 20).status == "no reference"


def test_profit_factor_is_undefined_without_a_losing_pip():
    assert profit_factor(result(3, 3, "30", "0")) is None
    drift = drift_of(result(20, 20, "200", "0"), REF, min_trades=20)
    assert drift.status == "drift" and "PF unbounded" in drift.note


def test_the_live_reference_is_the_runs_docs_venom_md_records():
    # Given the "What runs live" table of docs/venom.md
    doc = (PROJECT_ROOT / "docs" / "venom.md").read_text()
    table = doc[doc.index("| live profile |") :].split("\n\n")[0]
    rows = {
        m[1].strip(): (float(m[2]), float(m[3]))
        for m in re.finditer(r"^\| ([^|]+) \| \d+ \| ([\d.]+) \| [^|]+ \| ([\d.]+) \|", table, re.M)
    }
    # Then the reference runs are those rows, and the range spans them
    assert rows == RUNS
    assert LIVE_ASIAN_FADE.win_rate == (85.0, 89.4)
    assert LIVE_ASIAN_FADE.profit_factor == (1.94, 2.68)
