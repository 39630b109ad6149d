"""The Throne's routes through Chalice's test client: operators only (no or a forged or an
expired token 401, a trader's 403), and what an operator gets back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from chalice.test import Client

from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.api.app import create_app
from factories import T0, World, add_trader, alerted_mission, fire_mission

ROUTES = [
    "/api/ops/throne?window=hour",
    "/api/ops/traders?q=42",
    f"/api/ops/traders/{uuid.uuid4()}",
    "/api/health?deep=1",
]


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(create_app(lambda: world.api_deps(health_checks={}))) as test_client:
        yield test_client


def bearer(world: World, role: str, secret: str | None = None, minutes: int = 15) -> dict:
    tokens = JwtSessionTokens(secret or world.settings.jwt_secret, timedelta(minutes=minutes))
    return {"Authorization": f"Bearer {tokens.issue(add_trader(world).id, T0, role)}"}


@pytest.mark.parametrize("path", ROUTES)
def test_every_throne_route_is_401_without_a_valid_token_and_403_for_a_trader(client, world, path):
    forged = bearer(world, "operator", secret="another-secret-of-at-least-32-characters")
    world.clock.advance(timedelta(minutes=1))
    expired = bearer(world, "operator", minutes=1)
    world.clock.advance(timedelta(minutes=2))
    assert client.http.get(path).status_code == 401
    assert client.http.get(path, headers=forged).status_code == 401
    assert client.http.get(path, headers=expired).status_code == 401
    response = client.http.get(path, headers=bearer(world, "trader"))
    assert response.status_code == 403 and response.json_body["error"] == "operators only"


def test_an_operator_reads_the_throne_and_finds_a_traders_mission(client, world):
    # Given a filled mission and an operator's session
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    assert fire_mission(world, mission) == "filled"
    headers = bearer(world, "operator")
    # When the operator reads the Throne for the day
    throne = client.http.get("/api/ops/throne?window=day", headers=headers).json_body
    # Then the flow counts the alert, the fire and the fill, and every hop has a row
    assert (throne["flow"]["window"], throne["flow"]["alerts_sent"]) == ("day", 1)
    assert (throne["flow"]["fires"], throne["flow"]["fills"]) == (1, 1)
    assert len(throne["latencies"]) == 7 and throne["latencies"][-1]["to_hop"] == "broker_fill"
    # When they search the trader by Telegram id and open them
    found = client.http.get(f"/api/ops/traders?q={trader.telegram_id}", headers=headers)
    (match,) = found.json_body["traders"]
    detail = client.http.get(f"/api/ops/traders/{match['trader_id']}", headers=headers)
    # Then the mission is there with its trace
    (shown,) = detail.json_body["missions"]
    assert shown["mission_id"] == str(mission.id)
    assert [e["hop"] for e in shown["trace"]][-1] == "broker_fill"


def test_bad_input_gets_a_clear_4xx(client, world):
    headers = bearer(world, "operator")
    assert client.http.get("/api/ops/throne?window=week", headers=headers).status_code == 400
    assert client.http.get("/api/ops/traders?q=", headers=headers).status_code == 400
    assert client.http.get("/api/ops/traders/nope", headers=headers).status_code == 404
    missing = client.http.get(f"/api/ops/traders/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404
