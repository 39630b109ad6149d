"""signal_scan only scans pairs whose pips the broker's quotes can value in the account currency."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bitten.adapters.market_data import CandleReplayFeed
from bitten.services.scan import scan_signals, unvalued_reason
from factories import candles, market


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelname, record.getMessage()))


@pytest.fixture
def scan_log() -> Iterator[Recorder]:
    """What the scan logs (the bitten loggers may not propagate to pytest's handler)."""
    logger, recorder = logging.getLogger("bitten.scan"), Recorder()
    logger.addHandler(recorder)
    old_level, logger.level = logger.level, logging.DEBUG
    yield recorder
    logger.removeHandler(recorder)
    logger.setLevel(old_level)


class SeenPairs:
    """A stand-in strategy that records which pairs it was handed, and finds nothing."""

    def __init__(self) -> None:
        self.scans: list[list[str]] = []

    def __call__(self, bars: dict, now: int) -> list:
        self.scans.append(sorted(bars))
        return []


def test_a_pair_the_broker_cannot_value_is_left_out_and_logged_once(world, scan_log):
    # Given a feed quoting the test market plus NOKSEK, with nothing linking SEK to USD
    scanner = SeenPairs()
    feed = CandleReplayFeed({**market(), "NOKSEK": candles("NOKSEK", 1.05)})
    deps = world.scan_deps(scanner, feed)
    # When the scan runs on two minutes
    scan_signals(deps)
    scan_signals(deps)
    # Then NOKSEK is never handed to the strategy, and one line says why
    assert scanner.scans == [["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"]] * 2
    assert scan_log.lines == [
        (
            "WARNING",
            "NOKSEK left out of the scan: no chain of quoted symbols converts SEK to USD, "
            "so its pips cannot be valued in USD",
        )
    ]


def test_a_pair_comes_back_with_one_line_when_the_broker_can_value_it(world, scan_log):
    # Given NOKSEK was left out, and the broker then starts quoting USDSEK
    scanner = SeenPairs()
    feed = CandleReplayFeed({**market(), "NOKSEK": candles("NOKSEK", 1.05)})
    deps = world.scan_deps(scanner, feed)
    scan_signals(deps)
    feed.candles["USDSEK"] = candles("USDSEK", 10.5)
    # When the next scan runs
    scan_signals(deps)
    # Then NOKSEK is scanned again and that is logged once
    assert "NOKSEK" in scanner.scans[-1]
    assert scan_log.lines[-1] == ("INFO", "NOKSEK scanned again: the broker can value it now")


@pytest.mark.parametrize(
    ("pair", "account", "valued"),
    [
        ("GBPNZD", "USD", True),  # NZD -> GBP -> USD through the pair itself and GBPUSD
        ("EURJPY", "USD", True),  # JPY -> USD through USDJPY
        ("NOKSEK", "USD", False),
        ("EURUSD", "SEK", False),
        ("NOKSEK", "SEK", True),  # quoted in the account currency
        ("US30", "USD", False),  # not a currency pair
    ],
)
def test_which_pairs_can_be_valued(pair, account, valued):
    symbols = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "GBPNZD", "EURJPY", "NOKSEK"]
    assert (unvalued_reason(pair, symbols, account) is None) is valued
