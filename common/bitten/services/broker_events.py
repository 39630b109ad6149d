"""The broker's fill and close events (a signed callback): recorded once per deal ticket;
result_sync stays the fallback for any event that never arrives."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from bitten import logs
from bitten.domain.broker import Deal
from bitten.domain.fire import FireState
from bitten.domain.state import TransitionLost
from bitten.services.deps import CallbackDeps
from bitten.services.positions import record_close, record_fill

log = logs.get("broker_events")
AWAITING = (FireState.SENT, FireState.UNKNOWN)


class DealEvent(BaseModel):
    """One deal on an account: `in` = a fill, `out` = a close."""

    event: Literal["deal"]
    login: str
    deal: Deal


def handle_deal(event: DealEvent, deps: CallbackDeps) -> str:
    """What happened: filled | closed | duplicate | ignored (not one of our orders)."""
    deal = event.deal
    kind = "fill" if deal.entry == "in" else "close"
    with deps.uow() as repos:
        if not repos.deals.first_delivery(deal.deal, event.login, kind, deps.clock.now()):
            return "duplicate"
    try:
        return _apply(deal, deps)
    except Exception:
        with deps.uow() as repos:  # the gateway retries a failed delivery: let it count
            repos.deals.forget(deal.deal)
        raise


def _apply(deal: Deal, deps: CallbackDeps) -> str:
    with deps.uow() as repos:
        fire = repos.fires.by_client_id(deal.client_id)
        tracked = repos.fires.tracked(fire.mission_id) if fire else None
    if fire is None:
        log.info("deal %s is not one of our orders", deal.deal)
        return "ignored"
    try:
        if deal.entry == "in" and fire.state in AWAITING and fire.order is not None:
            # an `unknown` fire settled by the event is a reconciliation like the lookup's
            by = "callback" if fire.state is FireState.UNKNOWN else None
            record_fill(
                fire.mission_id, fire.order, deal.as_fill(), fire.state, deps, reconciled=by
            )
            return "filled"
        if (
            deal.entry == "out"
            and tracked is not None
            and record_close(tracked, deal.as_closed(), deps)
        ):
            return "closed"
    except TransitionLost:  # fire_execution or result_sync recorded it first
        pass
    return "duplicate"
