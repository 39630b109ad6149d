"""ForexVpsBroker over real HTTP against the paper broker server (127.0.0.1, ephemeral port)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import numpy as np
import pytest

from bitten.adapters.broker_feed import BrokerMarketFeed
from bitten.adapters.clock import VirtualClock
from bitten.adapters.forexvps import ForexVpsBroker, ForexVpsError
from bitten.domain.broker import (
    RETCODE_INVALID_STOPS,
    RETCODE_INVALID_VOLUME,
    RETCODE_MARKET_CLOSED,
    BrokerError,
    BrokerTimeout,
    OrderRequest,
)
from bitten.local.paper import PaperBrokerServer
from bitten.strategy.candles import Candles

T0 = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)  # a Monday morning
FX_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "fx"
TOKEN = "test-token"


def flat_candles(pair: str, price: float, n: int = 30, spikes: dict | None = None) -> Candles:
    """`n` quiet M1 bars at `price` from T0; `spikes` maps bar index -> (high, low)."""
    time = int(T0.timestamp()) + 60 * np.arange(n, dtype=np.int64)
    close = np.full(n, price)
    high, low = close.copy(), close.copy()
    for i, (hi, lo) in (spikes or {}).items():
        high[i], low[i] = hi, lo
    return Candles(pair, time, close.copy(), high, low, close)


@dataclass
class Paper:
    server: PaperBrokerServer
    broker: ForexVpsBroker
    clock: VirtualClock
    login: str


@contextmanager
def running_paper(candles: dict[str, Candles], clock: VirtualClock) -> Iterator[Paper]:
    with PaperBrokerServer(candles, clock, token=TOKEN) as server:
        login = server.book.add_account(Decimal("10000"), "USD").login
        with ForexVpsBroker(server.base_url, TOKEN, timeout=0.5) as broker:
            yield Paper(server, broker, clock, login)


@pytest.fixture
def paper() -> Iterator[Paper]:
    candles = {
        "EURUSD": flat_candles("EURUSD", 1.1),
        "USDJPY": flat_candles("USDJPY", 110.0),
        "XAUUSD": flat_candles("XAUUSD", 2000.0),
    }
    with running_paper(candles, VirtualClock(T0 + timedelta(minutes=2))) as paper:
        yield paper


def with_spikes(pair: str, price: float, spikes: dict) -> Iterator[Paper]:
    """A paper broker whose `pair` has the given spike bars."""
    candles = {pair: flat_candles(pair, price, spikes=spikes)}
    with running_paper(candles, VirtualClock(T0 + timedelta(minutes=2))) as paper:
        yield paper


def order(
    side: str = "buy", volume: str = "0.10", sl: str = "0", tp: str = "0", **kw
) -> OrderRequest:
    fields = {"client_id": "mission-1", "symbol": "EURUSD", **kw}
    return OrderRequest(side=side, volume=Decimal(volume), sl=Decimal(sl), tp=Decimal(tp), **fields)


def test_account_info_reports_balance_equity_and_currency(paper: Paper) -> None:
    # Given a seeded live account with 10,000 USD
    # When we ask for it over HTTP
    info = paper.broker.account_info(paper.login)
    # Then the numbers come back as exact decimals
    assert (info.balance, info.equity, info.currency, info.demo) == (
        Decimal("10000.00"),
        Decimal("10000.00"),
        "USD",
        False,
    )


def test_open_demo_account_issues_a_new_demo_login(paper: Paper) -> None:
    # When a PRESS PASS demo account is opened
    opened = paper.broker.open_demo_account("Ada", Decimal("50000"), "USD")
    # Then it has its own login, is a demo, and can be read back
    assert opened.demo and opened.login != paper.login
    assert paper.broker.account_info(opened.login).balance == Decimal("50000.00")


@pytest.mark.parametrize(
    ("symbol", "digits", "contract", "spread"),
    [
        ("EURUSD", 5, Decimal("100000"), Decimal("0.00010")),
        ("USDJPY", 3, Decimal("100000"), Decimal("0.011")),
        ("XAUUSD", 2, Decimal("100"), Decimal("0.41")),
    ],
)
def test_symbol_spec_has_digits_volumes_and_spread(paper, symbol, digits, contract, spread) -> None:
    # When the terminal describes a symbol
    spec = paper.broker.symbol_spec(paper.login, symbol)
    # Then digits, contract size, volume bounds and spread match the instrument
    assert (spec.digits, spec.contract_size) == (digits, contract)
    assert (spec.volume_min, spec.volume_step, spec.volume_max) == (
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("100"),
    )
    assert spec.ask - spec.bid == spread


def test_buy_fills_at_the_ask_and_opens_a_position(paper: Paper) -> None:
    # When a buy is sent while EURUSD bids 1.10000
    result = paper.broker.send_order(paper.login, order(sl="1.09000", tp="1.11000"))
    # Then it fills at the ask (bid + 1.0 pip at 10:00 UTC) and the position carries the client id
    assert result.filled and result.price == Decimal("1.10010")
    [pos] = paper.broker.positions(paper.login)
    assert (pos.ticket, pos.client_id, pos.price_open) == (
        result.position,
        "mission-1",
        Decimal("1.10010"),
    )


def test_sell_fills_at_the_bid(paper: Paper) -> None:
    result = paper.broker.send_order(paper.login, order(side="sell"))
    assert result.price == Decimal("1.10000")


@pytest.fixture
def sl_bar() -> Iterator[Paper]:
    yield from with_spikes("EURUSD", 1.1, {5: (1.1001, 1.097)})


def test_stop_loss_hit_closes_with_a_loss(sl_bar: Paper) -> None:
    # Given a long at 1.10010 with SL 1.09800
    sent = sl_bar.broker.send_order(sl_bar.login, order(sl="1.09800", tp="1.10500"))
    # When a bar dips to 1.09700 and time passes it
    sl_bar.clock.advance(timedelta(minutes=10))
    [deal] = sl_bar.broker.closed_deals(sl_bar.login, T0)
    # Then the position closed at the SL with -21.00 USD, credited to the balance
    assert (deal.position, deal.reason, deal.price, deal.profit) == (
        sent.position,
        "sl",
        Decimal("1.09800"),
        Decimal("-21.00"),
    )
    assert deal.time == T0 + timedelta(minutes=6)
    assert sl_bar.broker.positions(sl_bar.login) == []
    assert sl_bar.broker.account_info(sl_bar.login).balance == Decimal("9979.00")


@pytest.fixture
def dip_bar() -> Iterator[Paper]:
    yield from with_spikes("EURUSD", 1.1, {4: (1.1, 1.094)})


def test_short_take_profit_closes_at_the_ask(dip_bar: Paper) -> None:
    # Given a short at 1.10000 with TP 1.09500 (a short closes at the ask)
    dip_bar.broker.send_order(dip_bar.login, order(side="sell", sl="1.10500", tp="1.09500"))
    # When the bid dips to 1.09400
    dip_bar.clock.advance(timedelta(minutes=10))
    [deal] = dip_bar.broker.closed_deals(dip_bar.login, T0)
    # Then it closed at the TP with +50.00 USD
    assert (deal.reason, deal.price, deal.profit) == ("tp", Decimal("1.09500"), Decimal("50.00"))


@pytest.fixture
def wide_bar() -> Iterator[Paper]:
    yield from with_spikes("EURUSD", 1.1, {3: (1.102, 1.098)})


def test_stop_loss_wins_when_one_bar_touches_both(wide_bar: Paper) -> None:
    # Given a long with SL and TP both inside the next bar's range
    wide_bar.broker.send_order(wide_bar.login, order(sl="1.09900", tp="1.10100"))
    wide_bar.clock.advance(timedelta(minutes=5))
    [deal] = wide_bar.broker.closed_deals(wide_bar.login, T0)
    # Then the pessimistic assumption holds: SL first
    assert (deal.reason, deal.profit) == ("sl", Decimal("-11.00"))


def test_deals_before_since_are_not_returned(sl_bar: Paper) -> None:
    sl_bar.broker.send_order(sl_bar.login, order(sl="1.09800"))
    sl_bar.clock.advance(timedelta(minutes=10))
    assert sl_bar.broker.closed_deals(sl_bar.login, T0 + timedelta(minutes=7)) == []


@pytest.fixture
def yen_rally() -> Iterator[Paper]:
    yield from with_spikes("USDJPY", 110.0, {4: (110.6, 110.0)})


def test_usdjpy_profit_is_converted_to_usd_at_the_close_price(yen_rally: Paper) -> None:
    # Given 1 lot USDJPY bought at 110.011 (a 1.1-pip spread) with TP 110.511
    trade = order(symbol="USDJPY", volume="1.00", sl="109.000", tp="110.511")
    assert yen_rally.broker.send_order(yen_rally.login, trade).price == Decimal("110.011")
    # When the TP is hit
    yen_rally.clock.advance(timedelta(minutes=10))
    [deal] = yen_rally.broker.closed_deals(yen_rally.login, T0)
    # Then 50 pips * 100,000 JPY are divided by the close price: 452.44 USD
    expected = (Decimal("0.500") * 100_000 / Decimal("110.511")).quantize(Decimal("0.01"))
    assert (deal.reason, deal.profit) == ("tp", expected)
    assert expected == Decimal("452.44")


def test_wrong_token_is_a_broker_error_with_401(paper: Paper) -> None:
    with ForexVpsBroker(paper.server.base_url, "wrong-token", timeout=0.5) as intruder:
        with pytest.raises(BrokerError) as caught:
            intruder.account_info(paper.login)
    assert isinstance(caught.value, ForexVpsError) and caught.value.status == 401


def test_invalid_volume_is_rejected_with_10014(paper: Paper) -> None:
    result = paper.broker.send_order(paper.login, order(volume="0.015"))
    assert (result.retcode, result.filled) == (RETCODE_INVALID_VOLUME, False)
    assert paper.broker.positions(paper.login) == []


def test_stop_on_the_wrong_side_is_rejected_with_10016(paper: Paper) -> None:
    result = paper.broker.send_order(paper.login, order(sl="1.10500"))
    assert result.retcode == RETCODE_INVALID_STOPS and "below the bid" in result.retcode_text


def test_stale_prices_mean_market_closed_10018(paper: Paper) -> None:
    # Given the last EURUSD bar closed long ago (the test candles end after 30 minutes)
    paper.clock.advance(timedelta(minutes=60))
    assert paper.broker.send_order(paper.login, order()).retcode == RETCODE_MARKET_CLOSED


def test_unknown_account_is_a_404_broker_error(paper: Paper) -> None:
    with pytest.raises(ForexVpsError) as caught:
        paper.broker.account_info("999")
    assert (caught.value.status, caught.value.code) == (404, "unknown_account")


def test_float_volume_is_refused_with_a_clear_message(paper: Paper) -> None:
    body = {
        "client_id": "m",
        "symbol": "EURUSD",
        "side": "buy",
        "volume": 0.1,
        "sl": "0",
        "tp": "0",
    }
    resp = httpx.post(
        f"{paper.server.base_url}/v1/accounts/{paper.login}/orders",
        json=body,
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert resp.status_code == 400 and "decimal string" in resp.json()["message"]


def test_timeout_fault_raises_broker_timeout_and_executes_nothing(paper: Paper) -> None:
    # Given the terminal will stall past the client's 0.5 s timeout
    paper.server.inject_fault("timeout", delay=1.0)
    # When an order is sent, Then the outcome is unknown to the client
    with pytest.raises(BrokerTimeout):
        paper.broker.send_order(paper.login, order())
    # And nothing was executed
    assert paper.broker.find_order(paper.login, "mission-1") is None
    assert paper.broker.positions(paper.login) == []


@pytest.mark.parametrize("delay", [1.0, 0.0])
def test_drop_after_execute_times_out_but_reconciliation_finds_it(paper: Paper, delay) -> None:
    # Given the terminal executes, then stalls (1 s) or hangs up at once (0 s)
    paper.server.inject_fault("drop_after_execute", delay=delay)
    with pytest.raises(BrokerTimeout):
        paper.broker.send_order(paper.login, order(client_id="mission-42"))
    # When we look the order up by its client id
    found = paper.broker.find_order(paper.login, "mission-42")
    # Then it is there, filled, and its position is open
    assert found is not None and found.filled and found.price == Decimal("1.10010")
    assert [p.ticket for p in paper.broker.positions(paper.login)] == [found.position]


def test_fault_route_injects_over_http(paper: Paper) -> None:
    resp = httpx.post(
        f"{paper.server.base_url}/paper/faults",
        json={"mode": "reject", "count": 2},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert resp.json() == {"pending": 2}
    assert paper.broker.send_order(paper.login, order()).retcode == 10006


def test_concurrent_orders_get_distinct_tickets(paper: Paper) -> None:
    # Given 16 orders sent at once from 8 threads, each with its own client
    def send(i: int) -> int | None:
        with ForexVpsBroker(paper.server.base_url, TOKEN, timeout=5) as client:
            return client.send_order(paper.login, order(client_id=f"m-{i}")).position

    with ThreadPoolExecutor(8) as pool:
        tickets = list(pool.map(send, range(16)))
    # Then every order filled once, with its own position
    assert len(set(tickets)) == 16 and None not in tickets
    assert len(paper.broker.positions(paper.login)) == 16


def test_find_order_for_an_unknown_client_id_is_none(paper: Paper) -> None:
    paper.broker.send_order(paper.login, order(client_id="someone-else"))
    assert paper.broker.find_order(paper.login, "never-sent") is None


def test_heartbeat_reports_server_time_and_latency(paper: Paper) -> None:
    beat = paper.broker.heartbeat()
    assert beat.connected and beat.server_time == paper.clock.now() and beat.latency_ms > 0


def test_heartbeat_of_a_stopped_terminal_is_disconnected(paper: Paper) -> None:
    paper.server.stop()
    assert paper.broker.heartbeat().connected is False


def test_real_eurusd_candles_fill_at_the_recorded_bid_plus_spread() -> None:
    if not FX_DATA.is_dir():
        pytest.skip(f"{FX_DATA} is missing")
    from bitten.adapters.market_data import load_file

    eurusd = load_file("EURUSD", FX_DATA / "EURUSD_M1_2017H1.csv.gz")
    day = eurusd.window(
        int(datetime(2017, 3, 1, tzinfo=UTC).timestamp()),
        int(datetime(2017, 3, 2, tzinfo=UTC).timestamp()),
    )
    clock = VirtualClock(datetime(2017, 3, 1, 12, 0, 30, tzinfo=UTC))
    # Given the last bar closed by 12:00:30 is the 11:59 bar
    bid = Decimal(str(day.close[day.time == int(clock.now().timestamp()) - 90][0]))
    with running_paper({"EURUSD": day}, clock) as paper:
        # When we buy
        result = paper.broker.send_order(paper.login, order())
    # Then we pay that bid plus EURUSD's 1.0 pip (midday: no roll or Asian widening)
    assert result.price == bid.quantize(Decimal("0.00001")) + Decimal("0.00010")


# -- market data: the scanner's feed -----------------------------------------------------------


def get(paper: Paper, path: str, **params: object) -> httpx.Response:
    """A raw authorised GET, to see the wire format."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    return httpx.get(f"{paper.server.base_url}{path}", params=params, headers=headers)


def test_rates_are_the_closed_bars_the_replay_holds(paper: Paper) -> None:
    # Given it is 10:02:00, so the 10:00 and 10:01 bars have closed and 10:02 is forming
    feed = BrokerMarketFeed(paper.broker, ["EURUSD", "USDJPY"])
    # When the scanner asks for up to 500 bars
    c = feed.recent("EURUSD", paper.clock.now(), 500)
    # Then it gets exactly those two bars, oldest first, at the replayed prices
    assert c.pair == "EURUSD" and c.time.tolist() == [int(T0.timestamp()) + 60 * i for i in (0, 1)]
    assert c.close.tolist() == [1.1, 1.1]
    # And `count` keeps only the newest bars
    assert feed.recent("EURUSD", paper.clock.now(), 1).time.tolist() == [c.time[-1]]
    assert feed.pairs() == ["EURUSD", "USDJPY"]


def test_rates_keep_every_decimal_of_the_quote() -> None:
    # Given real EURUSD and gold bars (5 and 2 decimals)
    eur = flat_candles("EURUSD", 1.05197, n=5)
    gold = flat_candles("XAUUSD", 1151.37, n=5)
    with running_paper(
        {"EURUSD": eur, "XAUUSD": gold}, VirtualClock(T0 + timedelta(minutes=9))
    ) as p:
        raw = get(p, "/v1/symbols/XAUUSD/rates", count=2).json()
        # Then prices travel as decimal strings with the symbol's digits, and parse back exactly
        assert raw["digits"] == 2 and raw["close"] == ["1151.37", "1151.37"]
        assert p.broker.rates("EURUSD", 5000).close.tolist() == [1.05197] * 5


def test_feed_without_configured_pairs_scans_every_quoted_symbol(paper: Paper) -> None:
    assert BrokerMarketFeed(paper.broker).pairs() == ["EURUSD", "USDJPY", "XAUUSD"]


@pytest.mark.parametrize("count", ["0", "5001", "ten"])
def test_rates_with_a_bad_count_are_a_400(paper: Paper, count: str) -> None:
    resp = get(paper, "/v1/symbols/EURUSD/rates", count=count)
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_query"
    assert "count must be 1-5000" in resp.json()["message"]


def test_rates_of_an_unknown_symbol_are_a_404(paper: Paper) -> None:
    with pytest.raises(ForexVpsError) as err:
        paper.broker.rates("GBPUSD", 10)
    assert (err.value.status, err.value.code) == (404, "unknown_symbol")


def test_a_scan_reads_the_same_bars_over_http_as_from_the_replay() -> None:
    # Given a real EURUSD week replayed by the paper broker
    if not FX_DATA.is_dir():
        pytest.skip(f"{FX_DATA} is missing")
    from bitten.adapters.market_data import CandleReplayFeed, load_file

    week = load_file("EURUSD", FX_DATA / "EURUSD_M1_2017H1.csv.gz").slice(0, 7000)
    now = datetime.fromtimestamp(int(week.time[-1]) - 600 + 30, UTC)
    with running_paper({"EURUSD": week}, VirtualClock(now)) as p:
        # When the scanner's lookback is read over HTTP and from the candles in memory
        http = BrokerMarketFeed(p.broker).recent("EURUSD", now, 3000)
    local = CandleReplayFeed({"EURUSD": week}).recent("EURUSD", now, 3000)
    # Then they are the same bars, bit for bit
    assert len(http) == 3000
    for col in ("time", "open", "high", "low", "close"):
        assert np.array_equal(getattr(http, col), getattr(local, col)), col
