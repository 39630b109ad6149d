"""The contract's newer parts over real HTTP: margin, terminal status, trade modes, the
weekend, 429, faults before and after sending, deals by position, batch account reads."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from test_paper_broker import T0, TOKEN, Paper, flat_candles, order, running_paper, with_spikes

from bitten.adapters.clock import VirtualClock
from bitten.adapters.forexvps import ForexVpsBroker, ForexVpsError
from bitten.domain.broker import BrokerBusy, BrokerTimeout, BrokerUnavailable
from bitten.domain.fire import client_id_for

CLIENT_ID = client_id_for(uuid.UUID(int=42))


@pytest.fixture
def paper() -> Iterator[Paper]:
    candles = {p: flat_candles(p, price) for p, price in (("EURUSD", 1.1), ("USDJPY", 110.0))}
    with running_paper(candles, VirtualClock(T0 + timedelta(minutes=2))) as running:
        yield running


def control(paper: Paper, path: str, body: dict) -> httpx.Response:
    return httpx.post(
        f"{paper.server.base_url}{path}", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )


def test_account_info_reports_margin_free_margin_and_leverage(paper: Paper) -> None:
    # Given 1 lot of EURUSD bought at 1.10010 on a 1:100 account
    paper.broker.send_order(paper.login, order(volume="1.00"))
    # Then the margin is 100,000 x 1.10010 / 100, and free margin what equity has left
    info = paper.broker.account_info(paper.login)
    assert (info.margin, info.leverage) == (Decimal("1100.10"), 100)
    assert info.margin_free == info.equity - info.margin == Decimal("8889.90")


def test_an_order_beyond_free_margin_is_refused_with_10019(paper: Paper) -> None:
    small = paper.server.book.add_account(Decimal("500"), leverage=100).login
    result = paper.broker.send_order(small, order(volume="1.00"))
    assert result.retcode == 10019
    assert "margin 1100.10 needed, 500.00 free at 1:100" in result.retcode_text


@pytest.mark.parametrize(
    ("mode", "side", "code"), [("disabled", "buy", 10017), ("longonly", "sell", 10017)]
)
def test_a_symbol_whose_trade_mode_forbids_the_side_is_refused(
    paper: Paper, mode, side, code
) -> None:
    assert control(paper, "/paper/symbols/EURUSD/trade_mode", {"mode": mode}).status_code == 200
    result = paper.broker.send_order(paper.login, order(side=side))
    assert result.retcode == code and f"EURUSD is {mode}" in result.retcode_text
    assert paper.broker.symbol_spec(paper.login, "EURUSD").trade_mode == mode


def test_the_weekend_is_market_closed(paper: Paper) -> None:
    paper.clock.set(T0 - timedelta(days=2))  # Saturday
    result = paper.broker.send_order(paper.login, order())
    assert result.retcode == 10018 and "closed for the weekend" in result.retcode_text


def test_terminal_status_goes_offline_and_comes_back(paper: Paper) -> None:
    online = paper.broker.terminal_status(paper.login)
    assert online.connected and online.last_heartbeat == paper.clock.now()
    assert online.last_tick_time == T0 + timedelta(minutes=2)  # the last bar closed
    control(paper, f"/paper/accounts/{paper.login}/terminal", {"connected": False})
    paper.clock.advance(timedelta(seconds=40))
    offline = paper.broker.terminal_status(paper.login)
    assert not offline.connected and offline.last_heartbeat == paper.clock.now() - timedelta(
        seconds=40
    )
    # An order through a terminal cut off from the trade server is 10031: nothing sent
    assert paper.broker.send_order(paper.login, order()).retcode == 10031
    control(paper, f"/paper/accounts/{paper.login}/terminal", {"connected": True})
    assert paper.broker.send_order(paper.login, order()).filled


def test_429_raises_busy_with_its_retry_after(paper: Paper) -> None:
    paper.server.inject_fault("busy", delay=2.5)
    with pytest.raises(BrokerBusy) as caught:
        paper.broker.send_order(paper.login, order())
    assert caught.value.retry_after == 2.5 and paper.broker.positions(paper.login) == []


def test_a_504_before_sending_is_unavailable_not_unknown(paper: Paper) -> None:
    paper.server.inject_fault("timeout", delay=0)
    with pytest.raises(BrokerUnavailable):
        paper.broker.send_order(paper.login, order())
    assert paper.broker.positions(paper.login) == []


def test_a_dropped_connection_is_unknown_and_executed_nothing(paper: Paper) -> None:
    paper.server.inject_fault("drop_before_execute", delay=0)
    with pytest.raises(BrokerTimeout):
        paper.broker.send_order(paper.login, order(client_id=CLIENT_ID))
    assert paper.broker.find_order(paper.login, CLIENT_ID) is None


def test_a_requote_executes_nothing(paper: Paper) -> None:
    paper.server.inject_fault("requote")
    assert paper.broker.send_order(paper.login, order()).retcode == 10004
    assert paper.broker.positions(paper.login) == []


def test_a_refused_connection_is_unavailable(paper: Paper) -> None:
    paper.server.stop()
    with pytest.raises(BrokerUnavailable):
        paper.broker.send_order(paper.login, order())


def test_a_client_id_longer_than_an_mt5_comment_allows_is_400(paper: Paper) -> None:
    with pytest.raises(ForexVpsError) as caught:
        paper.broker.send_order(paper.login, order(client_id=str(uuid.uuid4())))
    assert caught.value.status == 400 and "1..26 characters" in caught.value.message


def test_deals_by_position_give_the_entry_and_the_exit() -> None:
    # Given a buy whose stop a later bar reaches
    for spiked in with_spikes("EURUSD", 1.1, {5: (1.1, 1.0985)}):
        paper = spiked
        filled = paper.broker.send_order(paper.login, order(sl="1.09900", client_id=CLIENT_ID))
        paper.clock.advance(timedelta(minutes=6))
        deals = paper.broker.position_deals(paper.login, filled.position or 0)
        # Then the position has its in deal (the fill) and its out deal (the stop)
        assert [(d.entry, d.side, d.price, d.reason) for d in deals] == [
            ("in", "buy", Decimal("1.10010"), None),
            ("out", "sell", Decimal("1.09900"), "sl"),
        ]
        assert deals[0].deal == filled.deal and {d.client_id for d in deals} == {CLIENT_ID}
        assert deals[1].profit == Decimal("-11.00")


def test_many_accounts_are_read_in_one_call_and_unknown_logins_left_out(paper: Paper) -> None:
    other = paper.server.book.add_account(Decimal("2500"), "EUR", demo=True).login
    found = paper.broker.accounts([paper.login, "no-such-login", other])
    assert [(a.login, a.balance, a.currency) for a in found] == [
        (paper.login, Decimal("10000.00"), "USD"),
        (other, Decimal("2500.00"), "EUR"),
    ]


def test_the_symbol_spec_carries_tick_value_filling_modes_and_the_last_tick(paper: Paper) -> None:
    spec = paper.broker.symbol_spec(paper.login, "USDJPY")
    assert spec.tick_size == Decimal("0.001") and spec.filling_modes == ["FOK", "IOC"]
    assert spec.tick_value == Decimal("0.90909091")  # 100,000 x 0.001 JPY at 110.000 in USD
    assert spec.trade_mode == "full" and spec.last_tick_time == T0 + timedelta(minutes=2)


def test_the_client_splits_a_long_login_list_into_calls_of_500() -> None:
    calls: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        logins = json.loads(request.content)["logins"]
        calls.append(len(logins))
        return httpx.Response(200, json={"accounts": [], "unknown": logins})

    broker = ForexVpsBroker("http://gateway", "t")
    broker._http = httpx.Client(base_url="http://gateway", transport=httpx.MockTransport(answer))
    assert broker.accounts([str(i) for i in range(1201)]) == []
    assert calls == [500, 500, 201]
