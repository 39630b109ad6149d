"""Broadcast to every trader or one tier: one owed notice per recipient, sent once each by
game_dispatch at broadcast priority (the shared lanes put replies and fresh alerts first)."""

from __future__ import annotations

import uuid

from bitten import logs
from bitten.domain.operator import Broadcast, Operator, broadcast_text
from bitten.domain.tiers import Tier
from bitten.services.deps import OpsDeps
from bitten.services.game.deps import GameTickDeps
from bitten.services.game.tick import relay_notices

log = logs.get("ops")


def broadcast(text: str, tier: Tier | None, reason: str, actor: str, deps: OpsDeps) -> Broadcast:
    """Write the broadcast, its notices and the audit row in one transaction, then hand the
    notices to the game queue (or leave them to game_tick's relay, within a minute)."""
    who = Operator.of(actor, reason)
    sent = Broadcast(
        id=uuid.uuid4(),
        text=broadcast_text(text),
        tier=tier,
        reason=who.reason,
        actor=who.actor,
        created_at=deps.clock.now(),
    )
    with deps.uow() as repos:
        sent.recipients = repos.ops.broadcasts.create(sent)
        after = sent.model_dump(mode="json")
        target = tier.value if tier else "all"
        repos.audit.record(who.entry(sent.created_at, "broadcast", target, {}, after))
    if deps.notices_queue is not None:
        try:
            relay_notices(GameTickDeps(deps.uow, deps.clock, deps.notices_queue))
        except Exception as err:  # noqa: BLE001 (the notices are stored: the tick relays them)
            log.error("broadcast %s stored, relay left to game_tick: %s", sent.id, err)
    log.warning("broadcast %s to %s traders by %s", sent.id, sent.recipients, who.actor)
    return sent
