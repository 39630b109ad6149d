"""Our backtester and backtesting.py agree trade for trade on one rule over real candles."""

import warnings
from pathlib import Path

import numpy as np
import pytest

from bitten.cli import crosscheck

FX = Path(__file__).resolve().parents[3] / "shared" / "data" / "fx"


@pytest.fixture(scope="module")
def eurusd_slice():
    if not FX.is_dir():
        pytest.skip("no ../shared/data/fx")
    from bitten.adapters.market_data import load_file

    return load_file("EURUSD", FX / "EURUSD_M1_2017H1.csv.gz").slice(20_000, 50_000)


def test_same_trades_as_backtesting_py(eurusd_slice):
    # Given the SMA-cross rule with a 10/10-pip bracket on 30,000 real M1 bars
    ours = crosscheck.our_trades(eurusd_slice)
    # When backtesting.py runs the same rule
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = crosscheck.peer_trades(eurusd_slice)
    # Then both see the same trades: entry bar, exit bar, side and pips
    assert len(ours) == len(peer) > 100
    mine = list(
        zip(ours.entry_idx.tolist(), ours.exit_idx.tolist(), ours.direction.tolist(), strict=True)
    )
    assert mine == [p[:3] for p in peer]
    assert np.allclose(ours.pips, [p[3] for p in peer], atol=1e-6)
    # And both outcomes occur, so the stop and the target paths are both exercised
    assert {round(float(x)) for x in ours.pips} >= {-10, 10}
