"""Paper book rules through InMemoryBroker (no HTTP): fills, stops, P&L, faults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from bitten.adapters.clock import VirtualClock
from bitten.domain.broker import (
    RETCODE_MARKET_CLOSED,
    RETCODE_NO_MONEY,
    RETCODE_REJECT,
    BrokerError,
    BrokerTimeout,
    BrokerUnavailable,
    OrderRequest,
)
from bitten.local.paper import InMemoryBroker
from bitten.local.paper.stops import first_stop_hit
from bitten.strategy.candles import Candles

T0 = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)


def candles(pair: str, price: float, n: int = 30, bars: dict | None = None) -> Candles:
    """Flat bars from T0; `bars` maps index -> (open, high, low, close)."""
    time = int(T0.timestamp()) + 60 * np.arange(n, dtype=np.int64)
    cols = [np.full(n, price) for _ in range(4)]
    for i, ohlc in (bars or {}).items():
        for col, value in zip(cols, ohlc, strict=True):
            col[i] = value
    return Candles(pair, time, *cols)


def broker(*series: Candles, minute: int = 2, balance: str = "10000") -> tuple:
    clock = VirtualClock(T0 + timedelta(minutes=minute))
    fake = InMemoryBroker({c.pair: c for c in series}, clock)
    login = fake.book.add_account(Decimal(balance)).login
    return fake, clock, login


def order(client_id="m-1", symbol="EURUSD", side="buy", volume="0.10", sl="0", tp="0"):
    return OrderRequest(
        client_id=client_id,
        symbol=symbol,
        side=side,
        volume=Decimal(volume),
        sl=Decimal(sl),
        tp=Decimal(tp),
    )


def test_a_stop_gapped_through_fills_at_the_bar_open() -> None:
    # Given a long with SL 1.09800 and a bar that opens at 1.09500
    fake, clock, login = broker(candles("EURUSD", 1.1, bars={4: (1.095, 1.095, 1.094, 1.095)}))
    fake.send_order(login, order(sl="1.09800"))
    clock.advance(timedelta(minutes=5))
    [deal] = fake.closed_deals(login, T0)
    # Then the exit is the gap price, not the stop
    assert (deal.reason, deal.price, deal.profit) == ("sl", Decimal("1.09500"), Decimal("-51.00"))


def test_a_spike_before_the_fill_does_not_close_the_position() -> None:
    # Given a spike in bar 1 and an order filled at minute 3 (after it)
    fake, clock, login = broker(candles("EURUSD", 1.1, bars={1: (1.1, 1.1, 1.09, 1.1)}), minute=3)
    fake.send_order(login, order(sl="1.09500"))
    clock.advance(timedelta(minutes=10))
    # Then the position is still open
    assert fake.closed_deals(login, T0) == [] and len(fake.positions(login)) == 1


def test_cross_profit_uses_the_other_pairs_rate() -> None:
    # Given EURJPY at 160.000 and USDJPY at 150.000; 1 lot bought, TP 50 pips above the ask
    eurjpy = candles("EURJPY", 160.0, bars={4: (160.0, 160.7, 160.0, 160.0)})
    fake, clock, login = broker(eurjpy, candles("USDJPY", 150.0))
    fill = fake.send_order(login, order(symbol="EURJPY", volume="1.00", tp="160.520"))
    assert fill.price == Decimal("160.020")  # EURJPY: 2.0 pips at 10:00 UTC
    clock.advance(timedelta(minutes=5))
    [deal] = fake.closed_deals(login, T0)
    # Then 50,000 JPY are worth 50,000 / USDJPY mid (150.0055: a 1.1-pip spread) USD
    expected = (Decimal("0.500") * 100_000 / Decimal("150.0055")).quantize(Decimal("0.01"))
    assert deal.profit == expected == Decimal("333.32")


def test_a_cross_without_a_usd_pair_is_valued_through_a_chain() -> None:
    # Given GBPNZD at 1.80000 and GBPUSD at 1.25000, no NZDUSD; 1 lot bought, TP 50 pips up
    gbpnzd = candles("GBPNZD", 1.8, bars={4: (1.8, 1.806, 1.8, 1.8)})
    fake, clock, login = broker(gbpnzd, candles("GBPUSD", 1.25))
    fill = fake.send_order(login, order(symbol="GBPNZD", volume="1.00", tp="1.80520"))
    assert fill.price == Decimal("1.80063")  # GBPNZD: 6.3 pips at 10:00 UTC
    clock.advance(timedelta(minutes=5))
    [deal] = fake.closed_deals(login, T0)
    # Then 457 NZD become GBP at the close price, then USD at the GBPUSD mid (1.6 pips: 1.25008)
    nzd = Decimal("0.00457") * 100_000
    expected = (nzd * (1 / Decimal("1.80520") * Decimal("1.25008"))).quantize(Decimal("0.01"))
    assert deal.profit == expected == Decimal("316.47")


def test_a_symbol_no_chain_can_value_is_rejected() -> None:
    # Given NOKSEK and EURUSD quoted, and a USD account: nothing turns SEK into USD
    fake, _, login = broker(candles("NOKSEK", 1.05), candles("EURUSD", 1.1))
    result = fake.send_order(login, order(symbol="NOKSEK"))
    assert result.retcode == RETCODE_REJECT
    assert result.retcode_text.endswith("no rate to value NOKSEK in USD")


def test_equity_follows_the_floating_loss_of_an_open_position() -> None:
    fake, clock, login = broker(candles("EURUSD", 1.1, bars={3: (1.1, 1.1, 1.099, 1.099)}))
    fake.send_order(login, order())
    clock.advance(timedelta(minutes=2))  # bar 3 has closed at 1.09900
    info = fake.account_info(login)
    assert (info.balance, info.equity) == (Decimal("10000.00"), Decimal("9989.00"))


def test_the_broker_does_not_dedupe_client_ids() -> None:
    # Given the same client id sent twice
    fake, _, login = broker(candles("EURUSD", 1.1))
    first = fake.send_order(login, order())
    fake.send_order(login, order())
    # Then two positions exist and the lookup answers with the first order
    assert len(fake.positions(login)) == 2
    assert fake.find_order(login, "m-1") == first


def test_positions_and_orders_belong_to_their_account() -> None:
    fake, _, login = broker(candles("EURUSD", 1.1))
    other = fake.open_demo_account("Bo", Decimal("100")).login
    fake.send_order(login, order())
    assert fake.positions(other) == [] and fake.find_order(other, "m-1") is None


def test_no_bar_yet_means_market_closed_and_a_zero_quote() -> None:
    fake, _, login = broker(candles("EURUSD", 1.1), minute=0)
    assert fake.send_order(login, order()).retcode == RETCODE_MARKET_CLOSED
    assert fake.symbol_spec(login, "EURUSD").bid == Decimal(0)


def test_an_empty_account_cannot_trade() -> None:
    fake, _, login = broker(candles("EURUSD", 1.1), balance="0")
    assert fake.send_order(login, order()).retcode == RETCODE_NO_MONEY


def test_unknown_account_is_a_broker_error() -> None:
    fake, _, _ = broker(candles("EURUSD", 1.1))
    with pytest.raises(BrokerError, match="no account with login nope"):
        fake.account_info("nope")


def test_injected_timeout_before_send_says_nothing_was_sent() -> None:
    fake, _, login = broker(candles("EURUSD", 1.1))
    fake.inject_fault("timeout")
    with pytest.raises(BrokerUnavailable):
        fake.send_order(login, order())
    assert fake.find_order(login, "m-1") is None and fake.positions(login) == []


def test_injected_dropped_connection_is_unknown_and_executes_nothing() -> None:
    fake, _, login = broker(candles("EURUSD", 1.1))
    fake.inject_fault("drop_before_execute")
    with pytest.raises(BrokerTimeout):
        fake.send_order(login, order())
    assert fake.find_order(login, "m-1") is None and fake.positions(login) == []


def test_injected_drop_executes_then_times_out() -> None:
    fake, _, login = broker(candles("EURUSD", 1.1))
    fake.inject_fault("drop_after_execute")
    with pytest.raises(BrokerTimeout):
        fake.send_order(login, order())
    found = fake.find_order(login, "m-1")
    assert found is not None and found.filled


def test_injected_reject_then_normal_service() -> None:
    fake, _, login = broker(candles("EURUSD", 1.1))
    fake.inject_fault("reject")
    assert fake.send_order(login, order()).retcode == RETCODE_REJECT
    assert fake.send_order(login, order()).filled
    assert len(fake.sent) == 2


def test_a_short_stop_is_checked_against_the_ask() -> None:
    # Given a short with SL 110 points, spread 8, and a bar whose bid high is 103
    bars = Candles("EURUSD", *(np.array([v]) for v in (0, 100, 103, 99, 100)))
    # When the ask (103 + 8 = 111) crosses the stop, Then the SL triggers
    hit = first_stop_hit("sell", sl=110, tp=0, spread=8, bars=bars)
    assert hit is not None and (hit.reason, hit.price) == ("sl", 110)
    # And a long with the same stop level below is untouched by that bar
    assert first_stop_hit("buy", sl=98, tp=0, spread=8, bars=bars) is None
