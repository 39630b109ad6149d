"""Valuing a currency in the account currency through a chain of quoted symbols."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from bitten.domain.instruments import (
    NoConversionRate,
    NoQuote,
    SymbolSpec,
    conversion_path,
    pip_value_per_lot,
    quote_to_account_rate,
)

D = Decimal

# The 26 instruments of the development candle set: no NZDUSD, no USDCHF.
DEV_SET = (
    "AUDCAD AUDCHF AUDJPY AUDNZD AUDUSD CADCHF CADJPY CHFJPY EURAUD EURCAD EURCHF EURGBP "
    "EURNZD EURUSD GBPAUD GBPCAD GBPCHF GBPJPY GBPNZD GBPUSD NZDCAD NZDCHF NZDJPY USDCAD "
    "USDJPY XAUUSD"
).split()


def test_a_cross_is_valued_through_itself_and_its_base_when_no_direct_pair_exists():
    # Given a broker quoting the development set (no NZDUSD), and a GBPNZD signal
    # When NZD is converted to USD, preferring the symbol whose price is already known
    path = conversion_path("NZD", "USD", DEV_SET, prefer={"GBPNZD"})
    # Then NZD -> GBP through GBPNZD, GBP -> USD through GBPUSD
    assert path == ["GBPNZD", "GBPUSD"]


def test_equal_length_chains_are_broken_alphabetically_whatever_the_listing_order():
    # Given six two-hop chains from NZD to USD and no preference
    shuffled = random.Random(8).sample(DEV_SET, len(DEV_SET))
    # Then the alphabetically first sequence wins, in any listing order
    assert conversion_path("NZD", "USD", shuffled) == ["AUDNZD", "AUDUSD"]
    assert conversion_path("NZD", "USD", DEV_SET) == ["AUDNZD", "AUDUSD"]


def test_a_direct_pair_beats_any_chain_and_its_orientation_does_not_matter():
    assert conversion_path("JPY", "USD", DEV_SET, prefer={"EURJPY"}) == ["USDJPY"]
    assert conversion_path("CAD", "USD", DEV_SET) == ["USDCAD"]
    assert conversion_path("EUR", "USD", DEV_SET) == ["EURUSD"]
    assert conversion_path("USD", "USD", DEV_SET) == []


def test_the_shortest_chain_wins_over_an_alphabetically_earlier_longer_one():
    # Given NZD -> AUD -> CAD -> USD (three hops, all early letters) and NZD -> JPY -> USD
    symbols = ["AUDNZD", "AUDCAD", "USDCAD", "NZDJPY", "USDJPY"]
    # Then the two-hop chain is used
    assert conversion_path("NZD", "USD", symbols) == ["NZDJPY", "USDJPY"]


def test_gold_is_never_a_middle_hop():
    # Given JPY and USD only connected through gold
    with pytest.raises(NoConversionRate, match="converts JPY to USD"):
        conversion_path("JPY", "USD", ["XAUJPY", "XAUUSD"])


def test_names_that_are_not_currency_pairs_are_ignored():
    assert conversion_path("JPY", "USD", ["US30", "XAUUSD.m", "USDJPY"]) == ["USDJPY"]


def test_no_chain_is_a_named_error_in_the_no_quote_family():
    with pytest.raises(NoConversionRate) as err:
        quote_to_account_rate("NOKSEK", D("1.01"), "USD", {"EURUSD": D("1.1")})
    assert isinstance(err.value, NoQuote) and isinstance(err.value, ValueError)
    assert "no SEKUSD or USDSEK rate" in str(err.value) and "NOKSEK in USD" in str(err.value)


def test_the_rate_is_the_product_of_mids_inverted_where_the_chain_runs_against_a_symbol():
    # Given GBPNZD at 1.8 and GBPUSD at 1.25: one NZD buys 1/1.8 GBP, one GBP buys 1.25 USD
    rate = quote_to_account_rate("GBPNZD", D("1.8"), "USD", {"GBPUSD": D("1.25")})
    assert rate == D(1) / D("1.8") * D("1.25")
    # And through NZDJPY then USDJPY: one NZD buys 80 JPY, one JPY buys 1/150 USD
    mids = {"NZDJPY": D("80"), "USDJPY": D("150")}
    rate = quote_to_account_rate("AUDNZD", D("1.07"), "USD", mids)
    assert rate == D(80) / D(150)


def test_a_two_hop_cross_pip_value_is_exact():
    # Given a GBPNZD spec at 1.8 and GBPUSD at 1.25 (no NZDUSD)
    spec = SymbolSpec(
        symbol="GBPNZD",
        digits=5,
        contract_size=D(100_000),
        volume_min=D("0.01"),
        volume_max=D(100),
        volume_step=D("0.01"),
        bid=D("1.8"),
        ask=D("1.8"),
    )
    # Then one pip on one lot (10 NZD) is worth 10 x 1.25 / 1.8 USD, to 28 digits
    value = pip_value_per_lot(spec, "USD", {"GBPUSD": D("1.25")})
    assert value == D("6.944444444444444444444444445")
