"""v5's setups trade only the families where they passed on development data."""

import pytest

from bitten.strategy.setups import family_of, setup_by_hour, setups_for
from bitten.strategy.universe import TRADED


@pytest.mark.parametrize(
    "pair,family",
    [
        ("EURUSD", "usd_majors"),
        ("USDJPY", "usd_majors"),
        ("EURJPY", "jpy_crosses"),
        ("GBPCHF", "eur_gbp_crosses"),
        ("AUDNZD", "commodity_crosses"),
        ("XAUUSD", "gold"),
    ],
)
def test_every_instrument_has_one_family(pair, family):
    assert family_of(pair) == family


def test_the_asian_fade_trades_usd_majors_and_yen_crosses_only():
    assert [s.name for s in setups_for("GBPJPY")] == ["asian_fade"]
    assert [s.name for s in setups_for("EURGBP")] == ["late_fade"]
    assert [s.name for s in setups_for("EURUSD")] == ["asian_fade", "late_fade"]
    assert setups_for("AUDNZD") == () and setups_for("XAUUSD") == ()


def test_each_hour_belongs_to_at_most_one_setup():
    hours = setup_by_hour("EURUSD")
    assert hours[2] == 1 and hours[18] == 2 and hours[12] == 0 and hours[21] == 0


def test_the_universe_is_the_families_that_passed_including_pairs_never_seen():
    # USDCHF, NZDUSD and EURJPY are not in the development data; their families passed
    assert {"USDCHF", "NZDUSD", "EURJPY"} <= set(TRADED)
    assert "XAUUSD" not in TRADED and "AUDNZD" not in TRADED


def test_the_stored_signal_names_its_setup_in_the_engine():
    from datetime import UTC, datetime

    from bitten.services.scan import to_trade_signal
    from bitten.strategy.citadel import Shield
    from bitten.strategy.venom import Signal

    raw = Signal(
        "EURUSD",
        "buy",
        1.1,
        20.0,
        5.0,
        60,
        10,
        ("r",),
        1483318800,
        Shield(7.0, "STRONG", ()),
        "late_fade",
    )
    stored = to_trade_signal(raw, "VENOM-v5", datetime(2017, 1, 2, 1, 1, tzinfo=UTC))
    assert stored.engine == "VENOM-v5/late_fade"
