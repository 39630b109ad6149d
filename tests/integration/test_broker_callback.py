"""POST /api/broker/callback: signed fill and close events, once per deal ticket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from chalice.test import Client

from bitten.adapters.broker_callbacks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from bitten.api.app import create_app
from bitten.domain.broker import OrderRequest
from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from factories import T0, World, add_mission, add_trader, make_world, market

SECRET = "local-broker-callback-secret"


@pytest.fixture
def deals(world: World) -> list:
    """Every deal the paper book makes, as its gateway would push them."""
    seen: list = []
    world.broker.book.on_deal.append(lambda login, deal: seen.append((login, deal)))
    return seen


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(create_app(world.api_deps)) as test_client:
        yield test_client


def post(client: Client, login: str, deal, at=T0, secret: str = SECRET, body: str | None = None):
    raw = body or json.dumps(
        {"event": "deal", "login": login, "deal": deal.model_dump(mode="json")}
    )
    stamp = int(at.timestamp())
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(secret, stamp, raw.encode()),
    }
    return client.http.post("/api/broker/callback", headers=headers, body=raw)


def lost_answer(world: World):
    """A fired mission whose order filled at the broker while our answer was lost."""
    trader = add_trader(world)
    mission = add_mission(world, trader)
    request_fire(FireCommand(mission.id, trader.id, "hud", "k"), world.fire_request_deps())
    world.broker.inject_fault("drop_after_execute")
    assert execute_fire(mission.id, "m1", world.fire_exec_deps()) == "filled"  # found at once
    return trader, mission


def test_a_fill_event_settles_an_unknown_fire_once(world, client, deals):
    # Given an order that filled while its answer was lost, and the lookup failing too
    trader = add_trader(world)
    mission = add_mission(world, trader)
    request_fire(FireCommand(mission.id, trader.id, "hud", "k"), world.fire_request_deps())
    world.broker.inject_fault("drop_after_execute")
    deps = world.fire_exec_deps()
    deps.broker.find_order = lambda login, client_id: None  # the order is not visible yet
    assert execute_fire(mission.id, "m1", deps) == "unknown"
    (login, fill) = deals[0]
    # When the gateway's fill event arrives, twice
    first, second = post(client, login, fill), post(client, login, fill)
    # Then the fire is filled once: one position, one fill message
    assert (first.json_body["outcome"], second.json_body["outcome"]) == ("filled", "duplicate")
    assert world.rows("SELECT state FROM fires") == [{"state": "filled"}]
    assert world.rows("SELECT open_deal, slippage_pips FROM positions") == [
        {"open_deal": fill.deal, "slippage_pips": Decimal("1.0")}
    ]
    assert sum("FILLED" in m["text"] for m in world.notifier.messages_to(trader.telegram_id)) == 1


def test_a_fill_event_for_a_fill_already_recorded_changes_nothing(world, client, deals):
    trader, mission = lost_answer(world)
    assert post(client, *deals[0]).json_body["outcome"] == "duplicate"
    assert len(world.rows("SELECT 1 FROM positions")) == 1


def test_a_close_event_closes_the_mission_with_its_reason_and_money(settings):
    # Given a filled buy, and a bar that later reaches its target
    world = make_world(settings, market(EURUSD={T0 + timedelta(minutes=5): (1.1030, 1.1)}))
    seen: list = []
    world.broker.book.on_deal.append(lambda login, deal: seen.append((login, deal)))
    trader, mission = lost_answer(world)
    world.clock.advance(timedelta(minutes=7))
    world.broker.positions(trader.broker_login)  # the book replays the bars: TP hit
    (login, close) = seen[-1]
    with Client(create_app(world.api_deps)) as client:
        response = post(client, login, close, at=world.clock.now())
    # Then the mission is closed_tp, with pips and money kept for the renderer
    assert response.json_body["outcome"] == "closed"
    assert world.rows("SELECT status FROM missions") == [{"status": "closed_tp"}]
    (row,) = world.rows("SELECT close_reason, pips, profit, close_deal FROM positions")
    assert row == {
        "close_reason": "tp",
        "pips": Decimal("20.0"),
        "profit": Decimal("20.00"),  # 0.10 lots x 20 pips x 10 USD
        "close_deal": close.deal,
    }


@pytest.mark.parametrize(
    ("at", "secret", "error"),
    [
        (T0 - timedelta(minutes=6), SECRET, "older than 300 s"),
        (T0, "not-the-secret", "signature does not match"),
    ],
)
def test_a_stale_or_forged_event_is_401_and_changes_nothing(
    world, client, deals, at, secret, error
):
    trader, mission = lost_answer(world)
    response = post(client, *deals[0], at=at, secret=secret)
    assert response.status_code == 401 and error in response.json_body["error"]
    assert world.rows("SELECT 1 FROM broker_deals") == []


def test_a_signed_body_that_is_not_a_deal_is_400(world, client):
    response = post(client, "1", None, body=json.dumps({"event": "deal", "login": "1"}))
    assert response.status_code == 400
    assert world.rows("SELECT 1 FROM broker_deals") == []


def test_a_deal_that_is_not_one_of_our_orders_is_ignored(world, client, deals):
    account = world.broker.book.add_account(Decimal("1000"), demo=True)
    world.broker.book.send_order(
        account.login,
        OrderRequest(
            client_id="manual",
            symbol="EURUSD",
            side="buy",
            volume=Decimal("0.01"),
            sl=Decimal("1.09"),
            tp=Decimal("1.11"),
        ),
    )
    assert post(client, *deals[0]).json_body["outcome"] == "ignored"
