"""The kill switch: the operator API route (role checked), `bitten ops`, the audit log, and
the scan and FIRE honouring it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from chalice.test import Client
from test_api import init_data, login

from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.adapters.market_data import CandleReplayFeed
from bitten.api.app import create_app
from bitten.cli import main
from bitten.services.scan import scan_signals
from factories import T0, World, add_mission, add_trader, buy_eurusd_on_last_bar, market

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(create_app(world.api_deps)) as test_client:
        yield test_client


def token(world: World, trader, role: str = "trader") -> dict:
    issued = JwtSessionTokens(world.settings.jwt_secret).issue(trader.id, T0, role)
    return {**JSON, "Authorization": f"Bearer {issued}"}


def switch(client: Client, headers: dict, name: str, body: object):
    payload = body if isinstance(body, str) else json.dumps(body)
    return client.http.post(f"/api/ops/switches/{name}", headers=headers, body=payload)


def switches(world: World) -> dict:
    """name -> its row (a switch without a row is running: the tests empty every table)."""
    rows = world.rows("SELECT name, paused, reason, changed_by FROM operator_switches")
    running = {"paused": False, "reason": "", "changed_by": ""}
    return {"firing": running, "signals": running} | {r.pop("name"): r for r in rows}


def test_an_operator_pauses_firing_through_the_api_and_it_is_audited(client, world):
    # Given an operator's session
    operator = add_trader(world)
    headers = token(world, operator, "operator")
    # When they pause firing with a reason
    response = switch(client, headers, "firing", {"paused": True, "reason": "broker incident"})
    # Then the switch is paused, and the audit log says who, what, why, before and after
    assert response.status_code == 200 and response.json_body["paused"] is True
    assert switches(world)["firing"] == {
        "paused": True,
        "reason": "broker incident",
        "changed_by": f"trader:{operator.id}",
    }
    (entry,) = world.rows("SELECT actor, action, target, reason, before, after FROM audit_log")
    assert (entry["actor"], entry["action"], entry["reason"]) == (
        f"trader:{operator.id}",
        "pause_firing",
        "broker incident",
    )
    assert (entry["before"]["paused"], entry["after"]["paused"]) == (False, True)
    # And GET shows both switches and the audit entry
    status = client.http.get("/api/ops/switches", headers=headers).json_body
    assert [(s["name"], s["paused"]) for s in status["switches"]] == [
        ("signals", False),
        ("firing", True),
    ]
    assert status["recent"][0]["action"] == "pause_firing"


def test_a_traders_token_is_403_and_no_token_401_and_nothing_changes(client, world):
    trader = add_trader(world)
    body = {"paused": True, "reason": "x"}
    assert switch(client, token(world, trader), "firing", body).status_code == 403
    assert switch(client, JSON, "firing", body).status_code == 401
    assert client.http.get("/api/ops/switches", headers=JSON).status_code == 401
    assert switches(world)["firing"]["paused"] is False
    assert world.rows("SELECT 1 FROM audit_log") == []


@pytest.mark.parametrize(
    ("name", "body", "status"),
    [
        ("firing", {"paused": True, "reason": "  "}, 400),
        ("firing", {"paused": "maybe", "reason": "x"}, 400),
        ("firing", "{not json", 400),
        ("everything", {"paused": True, "reason": "x"}, 404),
    ],
)
def test_a_bad_switch_request_is_refused_and_writes_nothing(client, world, name, body, status):
    headers = token(world, add_trader(world), "operator")
    response = switch(client, headers, name, body)
    assert response.status_code == status and response.json_body["error"]
    assert world.rows("SELECT 1 FROM audit_log") == []


def test_the_mini_app_login_gives_listed_operators_the_operator_role(world, settings):
    operator, trader = add_trader(world), add_trader(world)
    deps = lambda: world.api_deps(operator_ids=frozenset({operator.telegram_id}))  # noqa: E731
    with Client(create_app(deps)) as client:
        roles = []
        for who in (operator, trader):
            data = init_data(
                settings.telegram_bot_token, {"id": who.telegram_id}, int(T0.timestamp())
            )
            issued = login(client, data).json_body["token"]
            roles.append(JwtSessionTokens(settings.jwt_secret).role(issued, T0))
    assert roles == ["operator", "trader"]


def test_bitten_ops_pauses_and_resumes_firing_and_shows_the_status(world, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    # When an operator pauses firing from the shell, then resumes it
    assert main(["ops", "pause-firing", "--reason", "broker incident", "--by", "ana"]) == 0
    assert switches(world)["firing"] == {
        "paused": True,
        "reason": "broker incident",
        "changed_by": "ana",
    }
    assert main(["ops", "resume-firing", "--reason", "fixed", "--by", "ana"]) == 0
    capsys.readouterr()
    # Then status shows firing running, and the audit log both changes, newest first
    assert main(["ops", "status"]) == 0
    status = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [s["paused"] for s in status["switches"]] == [False, False]
    assert [e["action"] for e in status["recent"]] == ["resume_firing", "pause_firing"]


def test_bitten_ops_without_a_reason_is_refused(world, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    assert main(["ops", "pause-signals", "--reason", " ", "--by", "ana"]) == 2
    assert "a reason is required" in capsys.readouterr().err
    assert world.rows("SELECT 1 FROM audit_log") == []


def test_paused_signals_stop_the_scan_until_resumed(world, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    deps = world.scan_deps(buy_eurusd_on_last_bar, CandleReplayFeed(market()))
    main(["ops", "pause-signals", "--reason", "bad data feed", "--by", "ana"])
    assert scan_signals(deps) == []
    main(["ops", "resume-signals", "--reason", "feed fixed", "--by", "ana"])
    assert len(scan_signals(deps)) == 1


def test_paused_firing_is_503_at_the_hud_with_the_reason(client, world, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    trader = add_trader(world)
    mission = add_mission(world, trader)
    main(["ops", "pause-firing", "--reason", "broker incident", "--by", "ana"])
    response = client.http.post(f"/api/missions/{mission.id}/fire", headers=token(world, trader))
    assert response.status_code == 503
    assert response.json_body["error"] == "firing paused by operators: broker incident"
