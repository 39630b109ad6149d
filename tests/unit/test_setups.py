"""Which setups trade which pairs: v5 by family, live on v4's earned pairs only."""

import pytest

from bitten.strategy.setups import LIVE, V5, family_of, setup_by_hour, setups_for
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


def test_v5_trades_each_setup_on_the_families_where_it_passed():
    assert [s.name for s in setups_for("GBPJPY", V5)] == ["asian_fade"]
    assert [s.name for s in setups_for("EURGBP", V5)] == ["late_fade"]
    assert [s.name for s in setups_for("EURUSD", V5)] == ["asian_fade", "late_fade"]
    assert setups_for("AUDNZD", V5) == () and setups_for("XAUUSD", V5) == ()


def test_live_keeps_v4s_asian_fade_on_the_pairs_it_earned():
    assert [s.name for s in setups_for("EURUSD", LIVE)] == ["asian_fade"]
    assert setups_for("USDCAD", LIVE) == () and setups_for("GBPJPY", LIVE) == ()
    assert TRADED == ("AUDUSD", "EURUSD", "GBPUSD", "USDJPY")


def test_each_hour_belongs_to_at_most_one_setup():
    hours = setup_by_hour("EURUSD", V5)
    assert hours[2] == 1 and hours[18] == 2 and hours[12] == 0 and hours[21] == 0
    assert setup_by_hour("EURUSD", LIVE)[18] == 0


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
