"""`bitten data fetch`: Dukascopy's day files become the shared folder's CSV, offline.

The fixture is a day file in Dukascopy's format (LZMA 'alone', 24-byte big-endian rows) holding
the first five EURUSD bars of 2017-01-02 as they are in ../shared/data/fx, plus one tickless
minute. This machine has no internet: the HTTP answers come from httpx.MockTransport.
"""

import argparse
import gzip
from datetime import date
from pathlib import Path

import httpx
import pytest

from bitten.adapters.dukascopy import DukascopyCandles, day_url
from bitten.adapters.market_data import load_folder
from bitten.cli.data import run_fetch

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "dukascopy"
DAY_FILE = FIXTURE / "EURUSD_2017_00_02_BID_candles_min_1.bi5"
SHARED_HEAD = [
    "time,open,high,low,close,volume",
    "2017-01-02T07:00:00Z,1.05155,1.05197,1.05155,1.0519,0",
    "2017-01-02T07:01:00Z,1.05209,1.05209,1.05177,1.05179,0",
    "2017-01-02T07:02:00Z,1.05177,1.05198,1.05177,1.05178,0",
    "2017-01-02T07:03:00Z,1.05188,1.052,1.05188,1.052,0",
    "2017-01-02T07:04:00Z,1.05196,1.05204,1.05196,1.05203,0",
]


def recorded_feed() -> DukascopyCandles:
    """The day file for 2017-01-02; every other day is a 404 (weekend, holiday)."""
    wanted = day_url("EURUSD", date(2017, 1, 2))

    def answer(request: httpx.Request) -> httpx.Response:
        if str(request.url) == wanted:
            return httpx.Response(200, content=DAY_FILE.read_bytes())
        return httpx.Response(404)

    return DukascopyCandles(httpx.Client(transport=httpx.MockTransport(answer)))


def fetch(tmp_path: Path, start: str, end: str, pair: str = "EURUSD") -> int:
    args = argparse.Namespace(pair=pair, start=start, end=end, out=tmp_path)
    return run_fetch(args, source=recorded_feed())


def test_the_url_counts_months_from_zero():
    assert day_url("eurusd", date(2017, 1, 2)).endswith("/EURUSD/2017/00/02/BID_candles_min_1.bi5")


def test_fetched_bars_are_byte_for_byte_the_shared_format(tmp_path):
    # When two days are fetched (Sunday 1 January has no file)
    assert fetch(tmp_path, "2017-01-01", "2017-01-03") == 0
    # Then the file has the shared header and exactly the shared file's rows; the tickless
    # minute is dropped as HistData drops it
    path = tmp_path / "EURUSD_M1_2017-01-01_2017-01-03.csv.gz"
    assert gzip.open(path, "rt").read().splitlines() == SHARED_HEAD
    # And the backtester's loader reads it as any other pair file
    candles = load_folder(tmp_path)
    assert len(candles["EURUSD"]) == 5 and float(candles["EURUSD"].close[0]) == 1.0519


def test_bad_input_and_empty_ranges_are_clear_errors(tmp_path, capsys):
    assert fetch(tmp_path, "2017-01-03", "2017-01-02") == 2
    assert fetch(tmp_path, "2017-02-01", "2017-02-03") == 2
    assert fetch(tmp_path, "2017-01-01", "2017-01-03", pair="EURO") == 2
    err = capsys.readouterr().err
    assert "--to must be after --from" in err and "no EURUSD bars" in err and "six letters" in err


@pytest.mark.parametrize("pair,digits", [("USDJPY", 3), ("XAUUSD", 3), ("GBPNZD", 5)])
def test_point_size_follows_the_instrument(pair, digits):
    from bitten.adapters.dukascopy import point_digits

    assert point_digits(pair) == digits
