"""The per-trader exposure check: open trades on the same currency bet cost shield points."""

from decimal import Decimal

from bitten.domain.shield import adjusted_multiplier, exposure_penalty, net_exposure


def test_open_trades_net_out_per_currency():
    # Given a EURUSD buy, a GBPUSD buy and a EURJPY sell
    exposure = net_exposure([("EURUSD", "buy"), ("GBPUSD", "buy"), ("EURJPY", "sell")])
    # Then EUR nets to zero, USD is short twice, GBP long once, JPY long once
    assert exposure == {"EUR": 0, "USD": -2, "GBP": 1, "JPY": 1}


def test_the_same_bet_again_costs_a_point_per_trade_up_to_two():
    # Given a trader already long EURUSD (long EUR, short USD)
    long_eur = net_exposure([("EURUSD", "buy")])
    # Then the same trade again, or another EUR long, costs one point and says why
    assert exposure_penalty("EURUSD", "buy", long_eur) == (
        -1,
        "already long EUR in 1 open trade (-1 shield)",
    )
    assert exposure_penalty("EURGBP", "buy", long_eur)[0] == -1
    assert exposure_penalty("AUDUSD", "buy", long_eur) == (
        -1,
        "already short USD in 1 open trade (-1 shield)",
    )
    # And the more exposed currency counts, capped at two points
    short_usd = net_exposure([("EURUSD", "buy"), ("GBPUSD", "buy"), ("AUDUSD", "buy")])
    assert exposure_penalty("NZDUSD", "buy", short_usd) == (
        -2,
        "already short USD in 3 open trades (-2 shield)",
    )


def test_a_trade_that_hedges_or_is_unrelated_costs_nothing():
    long_eur = net_exposure([("EURUSD", "buy")])
    assert exposure_penalty("EURUSD", "sell", long_eur)[0] == 0
    assert exposure_penalty("AUDJPY", "buy", long_eur)[0] == 0
    assert exposure_penalty("EURUSD", "buy", {}) == (0, None)
    # A EUR long hedged by a EUR short nets to nothing on EUR
    hedged = net_exposure([("EURUSD", "buy"), ("EURJPY", "sell")])
    assert exposure_penalty("EURGBP", "buy", hedged)[0] == 0


def test_the_penalty_moves_the_multiplier_down_the_same_scale():
    # Given a signal with shield 8.0 (x1.25 on the linear scale)
    mult = Decimal("1.25")
    # Then no penalty keeps the signal's own multiplier, and -2 points is the x1.0 of score 6
    assert adjusted_multiplier(mult, 0) == mult
    assert adjusted_multiplier(mult, -2) == Decimal("1.00")
    # And the scale's floor still holds
    assert adjusted_multiplier(Decimal("0.38"), -2) == Decimal("0.25")


def test_while_the_scale_is_held_the_exposure_check_still_trims_the_size():
    # Given a signal sized at the held 1.00x
    mult = Decimal("1.00")
    # Then each same-side open trade takes an eighth off, down to the 0.25 floor
    assert adjusted_multiplier(mult, -1) == Decimal("0.88")
    assert adjusted_multiplier(mult, -2) == Decimal("0.75")
    assert adjusted_multiplier(Decimal("0.30"), -2) == Decimal("0.25")
