"""VENOM's universe: the live scan reads only the instruments the engine earned."""

import pytest

from bitten import bootstrap
from bitten.config import load_settings
from bitten.strategy.universe import TRADED, scan_pairs


def test_by_default_the_scan_reads_only_the_traded_pairs():
    # Given no BITTEN_PAIRS
    # Then the scan list is VENOM's own, without gold or the commodity crosses
    assert scan_pairs([]) == list(TRADED)
    assert "XAUUSD" not in TRADED and "AUDNZD" not in TRADED


def test_bitten_pairs_narrows_the_universe_and_never_widens_it():
    # Given a configured list with one traded pair and two that VENOM does not trade
    configured = ["usdjpy", "XAUUSD", "AUDNZD"]
    # Then only the traded pair is scanned
    assert scan_pairs(configured) == ["USDJPY"]


def test_the_scan_feed_asks_the_broker_for_the_traded_pairs_it_quotes():
    # Given settings that name two traded pairs and gold, and a terminal that quotes EURUSD,
    # XAUUSD and AUDNZD only
    settings = load_settings(bitten_pairs="EURUSD,XAUUSD,GBPUSD", forexvps_url="http://127.0.0.1:9")
    feed = bootstrap.scan_feed(settings)

    class Terminal:
        def symbols(self):
            return ["EURUSD", "XAUUSD", "AUDNZD"]

    feed.api = Terminal()
    # Then the scan reads the traded pair the terminal has, and nothing else
    assert feed.pairs() == ["EURUSD"]


def test_a_pair_list_without_any_traded_pair_is_refused_with_a_reason():
    settings = load_settings(bitten_pairs="XAUUSD", forexvps_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="names no pair VENOM trades"):
        bootstrap.scan_feed(settings)
