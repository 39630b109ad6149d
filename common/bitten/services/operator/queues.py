"""The platform's queues for operators: depths, dead letters peeked, one redriven (audited)."""

from __future__ import annotations

from bitten import logs
from bitten.domain.operator import DeadLetter, Operator, QueueDepth
from bitten.ports_ops import QueueAdmin
from bitten.services.deps import OpsDeps

log = logs.get("ops")
PEEK_MAX = 10


class QueuesUnavailable(RuntimeError):
    """This entry point was built without access to the queues."""


def _queues(deps: OpsDeps) -> QueueAdmin:
    if deps.queues is None:
        raise QueuesUnavailable("no queue access here (set AWS_ENDPOINT_URL or run in AWS)")
    return deps.queues


def queue_depths(deps: OpsDeps) -> list[QueueDepth]:
    """Every queue with its waiting, in-flight and dead-lettered messages."""
    return _queues(deps).depths()


def peek_dead_letters(queue: str, deps: OpsDeps, max_messages: int = PEEK_MAX) -> list[DeadLetter]:
    """Up to `max_messages` (1..10) of a queue's DLQ; they stay there."""
    if not 1 <= max_messages <= PEEK_MAX:
        raise ValueError(f"max must be 1 to {PEEK_MAX}")
    return _queues(deps).peek(queue, max_messages)


def redrive_dead_letter(
    queue: str, message_id: str, reason: str, actor: str, deps: OpsDeps
) -> DeadLetter:
    """Move one dead letter back to its queue; the audit row keeps its body. UnknownTarget for
    an unknown queue or message (nothing is recorded then)."""
    who = Operator.of(actor, reason)
    with deps.uow() as repos:  # the row is written only once the message has moved
        moved = _queues(deps).redrive(queue, message_id)
        before = {"queue": f"{queue}-dlq", **moved.model_dump(mode="json")}
        after = {"queue": queue, "message_id": message_id}
        repos.audit.record(who.entry(deps.clock.now(), "redrive", queue, before, after))
    log.warning("dead letter %s redriven to %s by %s: %s", message_id, queue, who.actor, who.reason)
    return moved
