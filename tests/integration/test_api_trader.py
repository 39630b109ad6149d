"""The Mini App's JSON: /api/me, /api/positions, /api/history, /api/notebook, mission bars and
live state; every refusal writes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from chalice.test import Client

from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.api.app import create_app
from bitten.domain.tiers import Tier
from bitten.services.game.plans import choose_plan
from factories import T0, add_mission, add_trader, alerted_mission, closed_trade, fire_mission
from game_factories import grant_xp

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(world) -> Iterator[Client]:
    with Client(create_app(world.api_deps)) as test_client:
        yield test_client


def auth(trader, settings, world=None) -> dict:
    now = world.clock.now() if world else T0
    token = JwtSessionTokens(settings.jwt_secret, timedelta(minutes=15)).issue(trader.id, now)
    return {"Authorization": f"Bearer {token}"}


def test_me_has_account_tier_limits_results_and_xp(client, world, settings):
    trader = add_trader(world, Tier.FANG)
    closed_trade(world, trader, "1.10200", profit="19.20")
    body = client.http.get("/api/me", headers=auth(trader, settings, world)).json_body
    # 15 XP for the trade closed by its target, 10 for By the Book Bronze (issue 12's ledger)
    assert (body["tier_name"], body["open_trade_limit"], body["xp"]) == ("FANG", 2, 25)
    assert body["account"]["balance"] == "10000.00" and body["account"]["online"] is True
    assert body["today"] == {"trades": 1, "wins": 1, "pips": "19.0", "profit": "19.20"}
    assert body["referral_link"] == f"https://t.me/bitten_local_bot?start={body['referral_code']}"


def test_positions_are_the_open_trades_with_live_pnl(client, world, settings):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    fire_mission(world, mission)
    body = client.http.get("/api/positions", headers=auth(trader, settings, world)).json_body
    (position,) = body["items"]
    assert position["mission_id"] == str(mission.id)
    assert (position["price_open"], position["price_current"]) == ("1.10010", "1.10000")
    assert (position["pips"], position["profit"], position["digits"]) == ("-1.0", "-1.00", 5)


def test_history_is_paginated_newest_first(client, world, settings):
    trader = add_trader(world)
    grant_xp(world, trader, 120)  # FIRST_BLOOD: 4 shots a day (LONE_WOLF allows 2)
    choose_plan(trader.id, "FIRST_BLOOD", world.fire_request_deps())
    missions = [closed_trade(world, trader) for _ in range(3)]
    url = "/api/history?page=2&per_page=2"
    body = client.http.get(url, headers=auth(trader, settings, world)).json_body
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 3)
    assert [t["mission_id"] for t in body["items"]] == [str(missions[0].id)]


@pytest.mark.parametrize("query", ["page=0", "per_page=500", "page=x"])
def test_bad_paging_is_400(client, world, settings, query):
    response = client.http.get(
        f"/api/history?{query}", headers=auth(add_trader(world), settings, world)
    )
    assert response.status_code == 400


def test_a_note_is_written_and_read_back_with_the_statistics(client, world, settings):
    trader = add_trader(world)
    mission = closed_trade(world, trader)
    note = {"note": "<script>alert(1)</script> waited for the retest", "tags": ["Retest"]}
    put = client.http.put(
        f"/api/notebook/{mission.id}",
        headers={**auth(trader, settings, world), **JSON},
        body=json.dumps(note),
    )
    assert put.status_code == 200 and put.json_body["tags"] == ["retest"]
    book = client.http.get("/api/notebook", headers=auth(trader, settings, world)).json_body
    assert book["items"][0]["note"] == note["note"]
    assert (book["stats"]["trades"], book["stats"]["win_rate"]) == (1, "100.0")


def test_another_traders_trade_or_mission_is_404_and_nothing_is_written(client, world, settings):
    owner, intruder = add_trader(world), add_trader(world)
    mission = closed_trade(world, owner)
    headers = {**auth(intruder, settings, world), **JSON}
    put = client.http.put(f"/api/notebook/{mission.id}", headers=headers, body='{"note": "x"}')
    bars = client.http.get(f"/api/missions/{mission.id}/bars", headers=headers)
    view = client.http.get(f"/api/missions/{mission.id}", headers=headers)
    assert (put.status_code, bars.status_code, view.status_code) == (404, 404, 404)
    assert world.rows("SELECT 1 FROM trade_notes") == []


def test_a_bad_tag_is_400_naming_it(client, world, settings):
    trader = add_trader(world)
    mission = closed_trade(world, trader)
    response = client.http.put(
        f"/api/notebook/{mission.id}",
        headers={**auth(trader, settings, world), **JSON},
        body=json.dumps({"note": "ok", "tags": ["no spaces"]}),
    )
    assert response.status_code == 400 and "no spaces" in response.json_body["error"]


@pytest.mark.parametrize("path", ["/api/me", "/api/positions", "/api/history", "/api/notebook"])
def test_every_trader_route_needs_a_session(client, path):
    assert client.http.get(path).status_code == 401


def test_a_link_token_in_the_query_string_is_not_a_session(client, world, settings):
    trader = add_trader(world)
    token = auth(trader, settings, world)["Authorization"][7:]
    assert client.http.get(f"/api/me?t={token}").status_code == 401


def test_a_body_over_one_megabyte_is_413_and_nothing_is_handled(client, world):
    big = json.dumps({"update_id": 1, "padding": "x" * 1_100_000})
    headers = {**JSON, "X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret"}
    response = client.http.post("/telegram/webhook", headers=headers, body=big)
    assert response.status_code == 413
    assert world.rows("SELECT 1 FROM telegram_updates") == []


def test_the_mission_view_follows_the_trade_to_its_close(client, world, settings):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    fire_mission(world, mission)
    filled = client.http.get(f"/api/missions/{mission.id}", headers=auth(trader, settings, world))
    assert filled.json_body["state"] == "filled"
    assert filled.json_body["outcome"]["slippage_pips"] == "1.0"
    assert filled.json_body["live"]["profit"] == "-1.00"
    from factories import close_trade

    close_trade(world, mission, "1.10200")
    closed = client.http.get(f"/api/missions/{mission.id}", headers=auth(trader, settings, world))
    assert closed.json_body["state"] == "closed" and closed.json_body["outcome"]["pips"] == "19.0"


def test_bars_are_the_recent_closed_candles_of_the_pair(client, world, settings):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    response = client.http.get(
        f"/api/missions/{mission.id}/bars", headers=auth(trader, settings, world)
    )
    bars = response.json_body["bars"]
    assert len(bars) == 120 and bars[-1]["close"] == "1.10000"
    assert bars[-1]["time"] < int(T0.timestamp())


@pytest.mark.parametrize("page", ["/hud", "/me", "/notebook"])
def test_pages_are_served_with_a_content_security_policy(client, page):
    response = client.http.get(page)
    assert response.status_code == 200
    assert "script-src 'self' https://telegram.org" in response.headers["Content-Security-Policy"]
    assert b'<meta name="bot" content="bitten_local_bot">' in response.body


def test_the_chart_library_is_served_from_the_package_with_its_licence(client):
    script = client.http.get("/static/lightweight-charts.js")
    licence = client.http.get("/static/LICENSE-lightweight-charts.txt")
    assert script.status_code == 200 and b"TradingView Lightweight Charts" in script.body
    assert b"Apache License" in licence.body
    assert client.http.get("/static/config.py").status_code == 404
