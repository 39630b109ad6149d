"""Operator actions (issue 13): a trader's tier, Stars refunds, VENOM's setups, the audit log.
Every route answers 401 without a valid session and 403 to a trader's."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response
from pydantic import BaseModel, StrictBool

from bitten.api.auth import query, uuid_or_none
from bitten.api.operator_calls import body_of, operator_call
from bitten.api.responses import error
from bitten.domain.operator import UnknownTarget
from bitten.domain.tiers import Tier
from bitten.services.deps import ApiDeps
from bitten.services.operator.setups import set_setup, setup_switches
from bitten.services.operator.tiers import grant_tier, refund_payment

JSON = ["application/json"]
AUDIT_MAX = 500


class TierChange(BaseModel):
    tier: Tier
    days: int = 0
    reason: str


class RefundBody(BaseModel):
    charge_id: str
    reason: str


class SetupChange(BaseModel):
    enabled: StrictBool  # "off" is a mistake to point out, not to guess
    reason: str


def _limit(raw: str) -> int:
    if raw and not (raw.isdigit() and 1 <= int(raw) <= AUDIT_MAX):
        raise ValueError(f"limit must be a whole number from 1 to {AUDIT_MAX}")
    return int(raw or 50)


def _refund(d: ApiDeps, charge_id: str, reason: str, who: str) -> dict:
    outcome = refund_payment(charge_id, reason, who, d.ops)
    if outcome == "unknown":
        raise UnknownTarget(f"no Stars payment {charge_id!r}")
    if outcome == "not_stars":
        raise ValueError("a granted window is taken back with tier PRESS_PASS, not refunded")
    return {"charge_id": charge_id, "outcome": outcome}


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/ops/traders/{trader_id}/tier", methods=["POST"], content_types=JSON)
    def tier(trader_id: str) -> Response:
        def change(d: ApiDeps, who: str) -> object:
            trader = uuid_or_none(trader_id)
            if trader is None:
                return error(404, f"no trader {trader_id!r}")
            asked = body_of(app, TierChange)
            return grant_tier(trader, asked.tier, asked.days, asked.reason, who, d.ops)

        usage = 'send {"tier": "FANG", "days": 30, "reason": "why"} (tier PRESS_PASS revokes)'
        return operator_call(app, deps, usage, change)

    @app.route("/api/ops/refunds", methods=["POST"], content_types=JSON)
    def refunds() -> Response:
        def give_back(d: ApiDeps, who: str) -> dict:
            asked = body_of(app, RefundBody)
            return _refund(d, asked.charge_id, asked.reason, who)

        usage = 'send {"charge_id": "<telegram_payment_charge_id>", "reason": "why"}'
        return operator_call(app, deps, usage, give_back)

    @app.route("/api/ops/setups", methods=["GET"])
    def setups() -> Response:
        return operator_call(
            app,
            deps,
            "",
            lambda d, _: {"setups": [s.model_dump(mode="json") for s in setup_switches(d.ops)]},
        )

    @app.route("/api/ops/setups/{name}", methods=["POST"], content_types=JSON)
    def setup(name: str) -> Response:
        def switch(d: ApiDeps, who: str) -> object:
            asked = body_of(app, SetupChange)
            return set_setup(name, asked.enabled, asked.reason, who, d.ops)

        return operator_call(app, deps, 'send {"enabled": true|false, "reason": "why"}', switch)

    @app.route("/api/ops/audit", methods=["GET"])
    def audit() -> Response:
        def recent(d: ApiDeps, _: str) -> dict:
            limit = _limit(query(app, "limit"))
            with d.uow() as repos:
                entries = repos.audit.recent(limit)
            return {"entries": [e.model_dump(mode="json") for e in entries]}

        return operator_call(app, deps, "", recent)
