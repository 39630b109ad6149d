"""The War Room's game endpoints (issue 12) through Chalice's test client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from chalice.test import Client

from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.api.app import create_app
from bitten.services.game.tick import game_tick
from factories import World, add_trader
from game_factories import grant_xp, tick_deps

JSON = {"Content-Type": "application/json"}
GETS = [
    "/api/xp",
    "/api/plan",
    "/api/streak",
    "/api/rank",
    "/api/achievements",
    "/api/season",
    "/api/shop",
    "/api/drill",
]


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(create_app(lambda: world.api_deps())) as test_client:
        yield test_client


def auth(world: World, trader) -> dict:
    token = JwtSessionTokens(world.settings.jwt_secret).issue(trader.id, world.clock.now())
    return {"Authorization": f"Bearer {token}", **JSON}


@pytest.mark.parametrize("path", GETS)
def test_every_game_section_needs_a_session(client, path):
    response = client.http.get(path)
    assert response.status_code == 401
    assert response.json_body == {"error": "sign in from Telegram first (missing session token)"}


def test_the_sections_answer_with_the_callers_own_figures(client, world):
    # Given a trader with 150 XP granted
    trader = add_trader(world)
    grant_xp(world, trader, 150)
    headers = auth(world, trader)
    # When the War Room loads its sections
    body = {p: client.http.get(p, headers=headers).json_body for p in GETS[:-1]}
    # Then each carries the trader's figures
    assert body["/api/xp"]["balance"] == 150 and body["/api/xp"]["earned"] == 150
    assert body["/api/plan"]["current"]["strategy"] == "LONE_WOLF"
    assert [p["unlocked"] for p in body["/api/plan"]["plans"]] == [True, True, False, False]
    assert body["/api/streak"] == {
        "current": 0,
        "best": 0,
        "last_day": None,
        "grace_left_this_week": True,
        "shields": 0,
    }
    assert body["/api/rank"]["rank"] == "RECRUIT"
    assert body["/api/rank"]["referral_code"] == trader.referral_code
    assert body["/api/achievements"]["unlocked"] == []
    assert len(body["/api/achievements"]["next"]) == 6
    assert body["/api/season"]["id"] == "2024-Q1" and body["/api/season"]["level"] == 0
    assert [i["code"] for i in body["/api/shop"]["items"]] == [
        "extra_shot",
        "streak_shield",
        "citadel_deep_dive",
    ]


def test_pick_a_plan_buy_an_item_and_set_a_zone(client, world):
    trader = add_trader(world)
    grant_xp(world, trader, 200)
    headers = auth(world, trader)
    picked = client.http.post(
        "/api/plan", headers=headers, body=json.dumps({"strategy": "first blood"})
    )
    locked = client.http.post(
        "/api/plan", headers=headers, body=json.dumps({"strategy": "TACTICAL_COMMAND"})
    )
    unknown = client.http.post("/api/plan", headers=headers, body=json.dumps({"strategy": "YOLO"}))
    assert (picked.status_code, picked.json_body["strategy"]) == (200, "FIRST_BLOOD")
    assert locked.status_code == 403 and "unlocks at 360 XP" in locked.json_body["error"]
    assert unknown.status_code == 400 and "is not a plan" in unknown.json_body["error"]
    key = {**headers, "Idempotency-Key": "war-room-1"}
    first = client.http.post("/api/shop", headers=key, body=json.dumps({"item": "streak_shield"}))
    again = client.http.post("/api/shop", headers=key, body=json.dumps({"item": "streak_shield"}))
    poor = client.http.post("/api/shop", headers=headers, body=json.dumps({"item": "extra_shot"}))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json_body["balance"] == 50
    assert poor.status_code == 409
    assert poor.json_body["error"] == "Extra shot costs 100 XP; your balance is 50 XP (50 short)"
    bad = client.http.post("/api/timezone", headers=headers, body=json.dumps({"time_zone": "Mars"}))
    good = client.http.post(
        "/api/timezone", headers=headers, body=json.dumps({"time_zone": "Europe/London"})
    )
    assert bad.status_code == 400 and good.json_body == {"time_zone": "Europe/London"}
    malformed = client.http.post("/api/shop", headers=headers, body="{")
    assert malformed.status_code == 400 and malformed.json_body["error"] == "the body must be JSON"


def test_another_traders_drill_report_answers_404(client, world):
    # Given two traders, each with a drill report
    mine, theirs = add_trader(world), add_trader(world)
    world.clock.set(datetime(2024, 1, 8, 18, 0, tzinfo=UTC))
    game_tick(tick_deps(world))
    latest = client.http.get("/api/drill", headers=auth(world, theirs)).json_body
    # When I ask for theirs, or to debrief it
    response = client.http.get(f"/api/drill/{latest['id']}", headers=auth(world, mine))
    debrief = client.http.post(f"/api/drill/{latest['id']}/read", headers=auth(world, mine))
    # Then both are 404, and my own report reads once for XP
    assert response.status_code == debrief.status_code == 404
    own = client.http.get("/api/drill", headers=auth(world, mine)).json_body
    read = [
        client.http.post(f"/api/drill/{own['id']}/read", headers=auth(world, mine)).json_body
        for _ in range(2)
    ]
    assert [r["earned_xp"] for r in read] == [True, False]
    assert own["text"].startswith("DRILL REPORT Mon 08 Jan 2024")
