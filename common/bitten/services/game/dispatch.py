"""game_dispatch: send one owed notice, once (a claim before the send), paced as a broadcast by
the shared Telegram lanes (fresh alerts and replies go first)."""

from __future__ import annotations

from uuid import UUID

from bitten import logs
from bitten.domain.game.records import NoticeStatus
from bitten.domain.pacing import Priority
from bitten.ports import Button, Outgoing
from bitten.services.game.deps import GameDispatchDeps

log = logs.get("game_dispatch")
RETRYABLE = ("busy", "flood", "failed")  # the same send can work later


class NoticeDeferred(RuntimeError):
    """Telegram's lanes or flood control put the notice off: the queue delivers it again."""


def dispatch_notice(notice_id: UUID, deps: GameDispatchDeps) -> str:
    """'sent', 'already_handled', or 'failed' (the trader blocked the bot); a notice that could
    not go now is put back and NoticeDeferred raised, so the queue tries again."""
    with deps.uow() as repos:
        notice = repos.game.notices.claim(notice_id, deps.clock.now())
    if notice is None:
        return "already_handled"
    buttons = [[Button(text="Debrief", callback_data=notice.button)]] if notice.button else None
    message = Outgoing(
        chat_id=notice.chat_id, text=notice.text, buttons=buttons, priority=Priority.BROADCAST
    )
    (delivery,) = deps.notifier.deliver([message])
    if delivery.message_id is not None:
        status, outcome = NoticeStatus.SENT, "sent"
    elif delivery.status in RETRYABLE:
        status, outcome = NoticeStatus.QUEUED, "deferred"
    else:
        status, outcome = NoticeStatus.FAILED, "failed"
    with deps.uow() as repos:
        repos.game.notices.finish(notice_id, status, deps.clock.now(), delivery.message_id)
    if outcome == "deferred":
        raise NoticeDeferred(f"notice {notice_id} not sent ({delivery.status}): {delivery.detail}")
    if outcome == "failed":
        log.warning("notice %s not deliverable: %s", notice_id, delivery.detail)
    return outcome
