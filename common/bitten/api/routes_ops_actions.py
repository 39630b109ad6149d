"""Operator actions (issue 13): queues and dead letters, broadcasts. Every route answers 401
without a valid session and 403 to a trader's; each change is audited with its reason."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response
from pydantic import BaseModel

from bitten.api.auth import query
from bitten.api.operator_calls import body_of, operator_call
from bitten.api.responses import json_response
from bitten.domain.tiers import Tier
from bitten.services.deps import ApiDeps
from bitten.services.operator.broadcast import broadcast
from bitten.services.operator.queues import (
    PEEK_MAX,
    peek_dead_letters,
    queue_depths,
    redrive_dead_letter,
)

JSON = ["application/json"]


class Redrive(BaseModel):
    message_id: str
    reason: str


class BroadcastBody(BaseModel):
    text: str
    tier: Tier | None = None
    reason: str


def _max(raw: str) -> int:
    if not raw:
        return PEEK_MAX
    if not raw.isdigit():
        raise ValueError(f"max must be a whole number from 1 to {PEEK_MAX}")
    return int(raw)


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/ops/queues", methods=["GET"])
    def queues() -> Response:
        return operator_call(
            app, deps, "", lambda d, _: {"queues": [q.model_dump() for q in queue_depths(d.ops)]}
        )

    @app.route("/api/ops/dlq/{queue}", methods=["GET"])
    def dead_letters(queue: str) -> Response:
        def peek(d: ApiDeps, _: str) -> dict:
            found = peek_dead_letters(queue, d.ops, _max(query(app, "max")))
            return {"queue": queue, "messages": [m.model_dump(mode="json") for m in found]}

        return operator_call(app, deps, "", peek)

    @app.route("/api/ops/dlq/{queue}/redrive", methods=["POST"], content_types=JSON)
    def redrive(queue: str) -> Response:
        def move(d: ApiDeps, who: str) -> dict:
            asked = body_of(app, Redrive)
            redrive_dead_letter(queue, asked.message_id, asked.reason, who, d.ops)
            return {"redriven": asked.message_id}

        usage = 'send {"message_id": "<id from GET /api/ops/dlq/QUEUE>", "reason": "why"}'
        return operator_call(app, deps, usage, move)

    @app.route("/api/ops/broadcast", methods=["POST"], content_types=JSON)
    def announce() -> Response:
        def send(d: ApiDeps, who: str) -> Response:
            asked = body_of(app, BroadcastBody)
            sent = broadcast(asked.text, asked.tier, asked.reason, who, d.ops)
            return json_response({"broadcast_id": str(sent.id), "recipients": sent.recipients}, 202)

        usage = 'send {"text": "...", "tier": null or a tier name, "reason": "why"}'
        return operator_call(app, deps, usage, send)
