"""The operators' action routes (issue 13): every /api/ops/* route refuses traders (403) and
missing, forged or expired sessions (401); bodies a person got wrong are 400 with what to send,
unknown targets 404; each change lands in the audit log."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest
from chalice.test import Client
from test_operator_controls import JSON, token
from test_stars import pay, tier_of

from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.api.app import create_app
from bitten.domain.tiers import Tier
from factories import T0, World, add_trader

PARAMS = {"name": "firing", "queue": "signals", "trader_id": str(uuid4())}


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(create_app(world.api_deps)) as test_client:
        yield test_client


def ops_routes() -> list[tuple[str, str]]:
    """Every (method, path) under /api/ops the app serves, path parameters filled in."""
    app = create_app(lambda: None)  # routes only: no request is made to it
    found = []
    for path, methods in app.routes.items():
        if path.startswith("/api/ops"):
            filled = re.sub(r"\{(\w+)\}", lambda m: PARAMS.get(m.group(1), "x"), path)
            found += [(method, filled) for method in methods]
    return sorted(found)


def call(client: Client, method: str, path: str, headers: dict, body: object = None):
    payload = body if isinstance(body, str) else json.dumps(body or {})
    return client.http.request(method, path, headers=headers, body=payload.encode())


def test_the_operator_routes_are_the_ones_the_throne_needs():
    paths = {path for _, path in ops_routes()}
    assert {
        "/api/ops/queues",
        "/api/ops/dlq/signals",
        "/api/ops/dlq/signals/redrive",
        "/api/ops/broadcast",
        f"/api/ops/traders/{PARAMS['trader_id']}/tier",
        "/api/ops/refunds",
        "/api/ops/setups",
        "/api/ops/setups/firing",
        "/api/ops/audit",
    } <= paths


@pytest.mark.parametrize(("method", "path"), ops_routes())
def test_every_operator_route_refuses_traders_and_bad_sessions(client, world, method, path):
    # Given a trader's session, none, a forged one and an expired one
    trader = add_trader(world)
    forged = JwtSessionTokens("another-secret-of-at-least-32-chars!").issue(
        trader.id, T0, "operator"
    )
    expired = JwtSessionTokens(world.settings.jwt_secret, timedelta(minutes=15)).issue(
        trader.id, T0 - timedelta(hours=1), "operator"
    )
    body = {"paused": True, "enabled": False, "reason": "x", "text": "hi", "tier": "FANG"}
    # When each calls the route / Then the trader gets 403 and the others 401
    statuses = [
        call(client, method, path, headers, body).status_code
        for headers in (
            token(world, trader),
            JSON,
            {**JSON, "Authorization": f"Bearer {forged}"},
            {**JSON, "Authorization": f"Bearer {expired}"},
        )
    ]
    assert statuses == [403, 401, 401, 401]
    # And nothing was changed or audited
    assert world.rows("SELECT 1 FROM audit_log") == []
    assert world.rows("SELECT 1 FROM broadcasts") == []


def test_an_operator_grants_a_tier_refunds_and_reads_the_audit(client, world):
    operator, trader = add_trader(world), add_trader(world, Tier.PRESS_PASS)
    headers = token(world, operator, "operator")
    # When an operator grants FANG for 30 days through the API
    path = f"/api/ops/traders/{trader.id}/tier"
    granted = call(client, "POST", path, headers, {"tier": "FANG", "days": 30, "reason": "prize"})
    # Then the answer is the tier after, and the trader has it
    assert granted.status_code == 200
    assert granted.json_body["tier"] == "FANG" and tier_of(world, trader)[0] == "FANG"
    # When a Stars payment of another trader is refunded
    payer = add_trader(world, Tier.PRESS_PASS)
    pay(world, payer, "stx-api")
    refunded = call(
        client, "POST", "/api/ops/refunds", headers, {"charge_id": "stx-api", "reason": "asked"}
    )
    assert refunded.json_body == {"charge_id": "stx-api", "outcome": "refunded"}
    # Then the audit route lists both, newest first, with who and why
    entries = call(client, "GET", "/api/ops/audit?limit=5", headers).json_body["entries"]
    assert [(e["action"], e["actor"], e["reason"]) for e in entries] == [
        ("refund", f"trader:{operator.id}", "asked"),
        ("grant_tier", f"trader:{operator.id}", "prize"),
    ]


def test_an_operator_switches_a_setup_off_and_sees_it(client, world):
    headers = token(world, add_trader(world), "operator")
    changed = call(
        client, "POST", "/api/ops/setups/asian_fade", headers, {"enabled": False, "reason": "news"}
    )
    assert changed.status_code == 200 and changed.json_body["enabled"] is False
    listed = call(client, "GET", "/api/ops/setups", headers).json_body["setups"]
    assert [(s["name"], s["enabled"], s["reason"]) for s in listed] == [
        ("asian_fade", False, "news"),
        ("late_fade", True, ""),
    ]


def test_a_broadcast_is_accepted_with_its_recipients(client, world):
    headers = token(world, add_trader(world, Tier.COMMANDER), "operator")
    add_trader(world, Tier.NIBBLER)
    sent = call(
        client,
        "POST",
        "/api/ops/broadcast",
        headers,
        {"text": "New pairs tonight", "tier": "NIBBLER", "reason": "release"},
    )
    assert sent.status_code == 202 and sent.json_body["recipients"] == 1
    assert world.rows("SELECT tier, recipients FROM broadcasts") == [
        {"tier": "NIBBLER", "recipients": 1}
    ]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        (
            "POST",
            "/api/ops/setups/dawn_fade",
            {"enabled": False, "reason": "x"},
            404,
            "no VENOM setup",
        ),
        ("POST", "/api/ops/setups/asian_fade", {"enabled": "off", "reason": "x"}, 400, "enabled"),
        ("POST", "/api/ops/setups/asian_fade", {"enabled": False, "reason": " "}, 400, "reason"),
        ("POST", "/api/ops/broadcast", {"text": "hi", "tier": "GOLD", "reason": "x"}, 400, "tier"),
        ("POST", "/api/ops/broadcast", "{not json", 400, "send {"),
        ("POST", "/api/ops/refunds", {"charge_id": "nope", "reason": "x"}, 404, "no Stars payment"),
        ("POST", "/api/ops/refunds", {"reason": "x"}, 400, "charge_id"),
        (
            "POST",
            "/api/ops/traders/not-a-uuid/tier",
            {"tier": "FANG", "days": 3, "reason": "x"},
            404,
            "no trader",
        ),
        (
            "POST",
            f"/api/ops/traders/{uuid4()}/tier",
            {"tier": "FANG", "days": 3, "reason": "x"},
            404,
            "no trader",
        ),
        ("GET", "/api/ops/audit?limit=lots", None, 400, "limit"),
        ("GET", "/api/ops/dlq/orders", None, 404, "no queue 'orders'"),
        ("GET", "/api/ops/dlq/signals?max=50", None, 400, "max must be"),
        (
            "POST",
            "/api/ops/dlq/orders/redrive",
            {"message_id": "m", "reason": "x"},
            404,
            "no queue",
        ),
        ("POST", "/api/ops/dlq/signals/redrive", {"reason": "x"}, 400, "message_id"),
    ],
)
def test_a_bad_operator_request_is_explained_and_writes_nothing(
    client, world, method, path, body, status, says
):
    headers = token(world, add_trader(world), "operator")
    response = call(client, method, path, headers, body)
    assert response.status_code == status and says in response.json_body["error"]
    assert world.rows("SELECT 1 FROM audit_log") == []
