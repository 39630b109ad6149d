"""The Chalice app through Chalice's test client, its deps built by bootstrap with fakes."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from chalice.test import Client

from bitten import bootstrap
from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.adapters.telegram import NotifierError
from bitten.api.app import create_app
from factories import T0, World, add_mission, add_trader

JSON = {"Content-Type": "application/json"}


def probes(world: World) -> dict:
    """Health probes over this world's parts (each raises when its part is down)."""

    def broker_heartbeat() -> None:
        if not world.broker.heartbeat().connected:
            raise RuntimeError("terminal disconnected")

    return {
        "postgres": lambda: world.uow.db.ping(),
        "queue_fires": world.fires_queue.ping,
        "fire_lock_table": world.lock.ping,
        "broker_heartbeat": broker_heartbeat,
    }


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    app = create_app(lambda: world.api_deps(health_checks=probes(world)))
    with Client(app) as test_client:
        yield test_client


def bearer(
    trader, settings, ttl: timedelta = timedelta(hours=2), secret: str | None = None
) -> dict:
    token = JwtSessionTokens(secret or settings.jwt_secret, ttl).issue(trader.id, T0)
    return {"Authorization": f"Bearer {token}"}


def webhook(client: Client, update: object, secret: str = "test-webhook-secret"):
    body = update if isinstance(update, str) else json.dumps(update)
    headers = {**JSON, "X-Telegram-Bot-Api-Secret-Token": secret}
    return client.http.post("/telegram/webhook", headers=headers, body=body)


def start_update(update_id: int, telegram_id: int = 4242) -> dict:
    user = {"id": telegram_id, "is_bot": False, "first_name": "Ana", "username": "ana"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(T0.timestamp()),
            "chat": {"id": telegram_id, "type": "private"},
            "from": user,
            "text": "/start",
        },
    }


# -- health --------------------------------------------------------------------------------


def operator_bearer(world: World) -> dict:
    token = JwtSessionTokens(world.settings.jwt_secret).issue(add_trader(world).id, T0, "operator")
    return {"Authorization": f"Bearer {token}"}


def test_shallow_health_is_200_and_calls_no_dependency(world):
    # Given probes that would fail (and count) if called
    called = []

    def down() -> None:
        called.append(1)
        raise RuntimeError("down")

    app = create_app(lambda: world.api_deps(health_checks={"postgres": down}))
    # When a load balancer asks /api/health
    with Client(app) as c:
        response = c.http.get("/api/health")
    # Then it is ok without calling any dependency
    assert response.status_code == 200 and called == []
    assert response.json_body["status"] == "ok" and response.json_body["version"] == "0.1.0"
    assert response.json_body["at"] == T0.isoformat()


def test_deep_health_is_200_with_each_dependencys_latency(client, world):
    response = client.http.get("/api/health?deep=1", headers=operator_bearer(world))
    assert response.status_code == 200
    assert response.json_body["failing"] == []
    checks = response.json_body["checks"]
    assert set(checks) == {"postgres", "queue_fires", "fire_lock_table", "broker_heartbeat"}
    assert all(c["ok"] and c["error"] is None and c["ms"] >= 0 for c in checks.values())


def test_deep_health_is_503_and_names_the_failing_part(client, world):
    world.lock.healthy = False
    response = client.http.get("/api/health?deep=1", headers=operator_bearer(world))
    assert response.status_code == 503
    assert response.json_body["failing"] == ["fire_lock_table"]
    assert "ConnectionError" in response.json_body["checks"]["fire_lock_table"]["error"]
    assert response.json_body["checks"]["postgres"]["ok"] is True


def test_deep_health_is_for_operators_only(client, world, settings):
    assert client.http.get("/api/health?deep=1").status_code == 401
    trader = add_trader(world)
    response = client.http.get("/api/health?deep=1", headers=bearer(trader, settings))
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/api/health", f"/api/missions/{uuid.uuid4()}"])
def test_a_deployment_without_a_database_answers_503_naming_the_setting(settings, path):
    # Given an API whose settings have no DATABASE_URL (a broken deployment)
    app = create_app(
        lambda: bootstrap.build_api_deps(settings.model_copy(update={"database_url": None}))
    )
    # When any route is called
    with Client(app) as c:
        response = c.http.get(path)
    # Then it is a 503 that says what to set, not a bare 500
    assert response.status_code == 503
    assert response.json_body["error"] == "service not configured"
    assert "DATABASE_URL is not set" in response.json_body["detail"]


# -- GET /api/missions/{id} ------------------------------------------------------------------


def test_mission_without_a_token_is_401(client, world):
    mission = add_mission(world, add_trader(world))
    response = client.http.get(f"/api/missions/{mission.id}")
    assert response.status_code == 401
    assert "sign in from Telegram" in response.json_body["error"]


@pytest.mark.parametrize("problem", ["forged", "expired"])
def test_mission_with_a_bad_token_is_401(client, world, settings, problem):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    headers = (
        bearer(trader, settings, secret="not-the-secret-but-just-as-long-ok")
        if problem == "forged"
        else bearer(trader, settings, ttl=timedelta(seconds=-1))
    )
    response = client.http.get(f"/api/missions/{mission.id}", headers=headers)
    assert response.status_code == 401


def test_unknown_or_malformed_mission_is_404(client, world, settings):
    headers = bearer(add_trader(world), settings)
    for mission_id in ("7d0f3c1e-0000-4000-8000-000000000000", "not-a-uuid"):
        response = client.http.get(f"/api/missions/{mission_id}", headers=headers)
        assert (response.status_code, response.json_body["error"]) == (404, "mission not found")


def test_another_traders_mission_is_404(client, world, settings):
    mission = add_mission(world, add_trader(world))
    response = client.http.get(
        f"/api/missions/{mission.id}", headers=bearer(add_trader(world), settings)
    )
    assert response.status_code == 404


def test_expired_mission_is_410_with_a_message_a_trader_understands(client, world, settings):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    world.clock.advance(timedelta(minutes=10))
    response = client.http.get(f"/api/missions/{mission.id}", headers=bearer(trader, settings))
    assert response.status_code == 410
    assert response.json_body["error"] == (
        "this mission expired at 10:10 UTC; wait for the next signal"
    )


def test_open_mission_is_200_with_its_sizing_and_shield_checks(client, world, settings):
    trader = add_trader(world)
    mission = add_mission(world, trader, lots="0.25")
    response = client.http.get(f"/api/missions/{mission.id}", headers=bearer(trader, settings))
    assert response.status_code == 200
    body = response.json_body
    assert (body["mission"]["lots"], body["expired"], body["fire_state"]) == ("0.25", False, None)
    assert body["signal"]["shield_checks"] == [
        {"name": "trend", "score": 2.0, "explanation": "with the H4 trend"}
    ]


# -- POST /api/missions/{id}/fire --------------------------------------------------------------


def test_fire_is_accepted_once_then_409(client, world, settings):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    url, headers = f"/api/missions/{mission.id}/fire", bearer(trader, settings)
    first = client.http.post(url, headers={**headers, "Idempotency-Key": "hud-1"})
    second = client.http.post(url, headers={**headers, "Idempotency-Key": "hud-2"})
    assert (first.status_code, first.json_body["status"]) == (202, "fire_requested")
    assert (second.status_code, second.json_body["status"]) == (409, "duplicate")
    assert world.fires_queue.bodies == [{"mission_id": str(mission.id), "attempt": 1}]


def test_fire_after_expiry_is_410(client, world, settings):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    world.clock.advance(timedelta(minutes=15))
    response = client.http.post(
        f"/api/missions/{mission.id}/fire", headers=bearer(trader, settings)
    )
    assert response.status_code == 410
    assert "expired at 10:10 UTC" in response.json_body["error"]
    assert world.fires_queue.bodies == []


def test_fire_on_another_traders_mission_is_404(client, world, settings):
    mission = add_mission(world, add_trader(world))
    response = client.http.post(
        f"/api/missions/{mission.id}/fire", headers=bearer(add_trader(world), settings)
    )
    assert response.status_code == 404
    assert world.fires_queue.bodies == []


# -- Telegram webhook ---------------------------------------------------------------------------


def test_webhook_with_the_wrong_secret_is_401_and_handles_nothing(client, world):
    response = webhook(client, start_update(1), secret="guess")
    assert response.status_code == 401
    assert world.rows("SELECT 1 FROM telegram_updates") == []
    assert world.rows("SELECT 1 FROM traders") == []


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        '{"update_id": "x"}',
        '{"update_id": 9, "message": {"text": "/start"}}',
    ],
)
def test_malformed_webhook_body_is_400_and_writes_nothing(client, world, body):
    response = webhook(client, body)
    assert response.status_code == 400
    assert response.json_body["error"].startswith("malformed update")
    assert world.rows("SELECT 1 FROM telegram_updates") == []


def test_start_registers_a_trader_with_a_demo_account_once(client, world):
    # When /start arrives, then Telegram delivers the same update again
    first = webhook(client, start_update(100))
    second = webhook(client, start_update(100))
    # Then one trader exists, with a demo account opened at the broker
    assert (first.status_code, first.json_body["outcome"]) == (200, "registered")
    assert (second.status_code, second.json_body["outcome"]) == (200, "duplicate_update")
    (trader,) = world.rows(
        "SELECT t.tier, b.login, b.demo FROM traders t JOIN broker_accounts b ON b.trader_id = t.id"
    )
    assert (trader["tier"], trader["demo"]) == ("PRESS_PASS", True)
    assert world.broker.account_info(trader["login"]).demo is True
    (welcome,) = world.notifier.messages_to(4242)
    assert trader["login"] in welcome["text"]


def test_an_update_that_failed_midway_is_handled_again_when_telegram_retries(client, world):
    # Given Telegram is down when the welcome message is sent
    world.notifier.fail_next(NotifierError("sendMessage", "Bad Gateway", retryable=True))
    assert webhook(client, start_update(300)).status_code == 500  # Telegram will retry
    # When Telegram delivers the same update again
    retry = webhook(client, start_update(300))
    # Then it is handled (not dropped as a duplicate) and the trader is welcomed once
    assert (retry.status_code, retry.json_body["outcome"]) == (200, "welcome_back")
    assert len(world.notifier.messages_to(4242)) == 1
    assert len(world.rows("SELECT 1 FROM broker_accounts")) == 1


def test_fire_button_tap_through_the_webhook_requests_the_fire(client, world):
    webhook(client, start_update(200))
    (row,) = world.rows("SELECT id FROM traders")
    with world.uow() as repos:
        trader = repos.traders.get(row["id"])
    mission = add_mission(world, trader)
    tap = {
        "update_id": 201,
        "callback_query": {
            "id": "cbq-1",
            "from": {"id": 4242, "is_bot": False, "first_name": "Ana"},
            "chat_instance": "1",
            "data": f"fire:{mission.id}",
        },
    }
    response = webhook(client, tap)
    assert response.json_body["outcome"] == "fire_requested"
    assert world.notifier.answer_for("cbq-1")["text"] == "FIRE received: sending your order."
    assert world.fires_queue.bodies == [{"mission_id": str(mission.id), "attempt": 1}]


# -- Mini App login --------------------------------------------------------------------------------


def init_data(bot_token: str, user: dict, auth_date: int, forge: bool = False) -> str:
    """initData signed per Telegram's Mini App spec (HMAC-SHA256 keyed by 'WebAppData')."""
    fields = {"query_id": "AAH1", "user": json.dumps(user), "auth_date": str(auth_date)}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    signature = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if forge:
        fields["user"] = json.dumps({**user, "id": user["id"] + 1})  # someone else's id
    return urlencode({**fields, "hash": signature})


def login(client: Client, data: str):
    return client.http.post(
        "/api/auth/telegram", headers=JSON, body=json.dumps({"init_data": data})
    )


def test_forged_init_data_is_401(client, world, settings):
    trader = add_trader(world)
    data = init_data(
        settings.telegram_bot_token, {"id": trader.telegram_id - 1}, int(T0.timestamp()), forge=True
    )
    response = login(client, data)
    assert response.status_code == 401
    assert "signature" in response.json_body["error"]


def test_stale_init_data_is_401(client, world, settings):
    trader = add_trader(world)
    stale = int((T0 - timedelta(days=2)).timestamp())
    response = login(
        client, init_data(settings.telegram_bot_token, {"id": trader.telegram_id}, stale)
    )
    assert response.status_code == 401


def test_init_data_dated_in_the_future_is_401_and_issues_nothing(client, world, settings):
    trader = add_trader(world)
    ahead = int((T0 + timedelta(hours=1)).timestamp())
    response = login(
        client, init_data(settings.telegram_bot_token, {"id": trader.telegram_id}, ahead)
    )
    assert response.status_code == 401 and "future" in response.json_body["error"]
    assert "token" not in response.json_body


def test_valid_init_data_returns_a_token_that_opens_the_traders_mission(client, world, settings):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    data = init_data(
        settings.telegram_bot_token,
        {"id": trader.telegram_id, "first_name": "A"},
        int(T0.timestamp()),
    )
    response = login(client, data)
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {response.json_body['token']}"}
    assert client.http.get(f"/api/missions/{mission.id}", headers=headers).status_code == 200


def test_hud_page_is_served(client):
    response = client.http.get("/hud")
    assert response.status_code == 200
    assert b"Mission briefing" in response.body


def test_on_api_gateway_without_hud_base_url_bot_buttons_link_to_the_api_itself(world, settings):
    # Given a deployment without HUD_BASE_URL, and Telegram's /start arriving through API Gateway
    bare = settings.model_copy(update={"hud_base_url": None})
    deps = bootstrap.build_api_deps(
        bare,
        clock=world.clock,
        broker=world.broker,
        notifier=world.notifier,
        fires_queue=world.fires_queue,
    )
    app = create_app(lambda: deps)
    event = {
        "resource": "/telegram/webhook",
        "path": "/telegram/webhook",
        "httpMethod": "POST",
        "headers": {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret",
        },
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/telegram/webhook",
            "httpMethod": "POST",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "stage": "prod",
        },
        "body": json.dumps(start_update(900)),
        "isBase64Encoded": False,
    }
    # When the api function handles it
    response = app(event, None)
    # Then the welcome's War Room button opens the API's own /me
    assert response["statusCode"] == 200, response
    (welcome,) = world.notifier.messages_to(4242)
    url = welcome["buttons"][0][0].web_app_url
    assert url == "https://abc123.execute-api.us-east-1.amazonaws.com/prod/me"
