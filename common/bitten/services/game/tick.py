"""game_tick (every minute): due drills, recruits turned active, deep-dives, then the relay that
hands the outbox's queued notices to the game queue. Every step is idempotent."""

from __future__ import annotations

from collections import Counter

from bitten import logs
from bitten.services.game.deps import GameTickDeps
from bitten.services.game.drills import build_due_drills
from bitten.services.game.intel import deliver_deep_dives
from bitten.services.game.referrals import activate_recruits

log = logs.get("game_tick")
RELAY_BATCH = 1000


def game_tick(deps: GameTickDeps) -> Counter[str]:
    """One pass; overlapping or repeated runs write nothing twice."""
    report: Counter[str] = Counter()
    report["drills"] = build_due_drills(deps)
    with deps.uow() as repos:
        report["recruits_active"] = activate_recruits(repos, deps.now())
    with deps.uow() as repos:
        report["deep_dives"] = deliver_deep_dives(repos, deps.now())
    report["enqueued"] = relay_notices(deps)
    if any(report.values()):
        log.info("game tick %s", dict(report))
    return report


def relay_notices(deps: GameTickDeps) -> int:
    """Enqueue queued notices (new, or whose message was lost); the dispatcher's claim makes a
    notice enqueued twice go out once."""
    sent = 0
    while True:
        with deps.uow() as repos:
            ids = repos.game.notices.to_enqueue(deps.now(), RELAY_BATCH)
            repos.game.notices.mark_enqueued(ids, deps.now())
        # After the commit: a failed send leaves them queued, and a later run enqueues them again.
        deps.notices_queue.send_batch([{"notice_id": str(n)} for n in ids])
        sent += len(ids)
        if len(ids) < RELAY_BATCH:
            return sent
