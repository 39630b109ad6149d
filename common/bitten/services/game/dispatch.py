"""game_dispatch: send one owed notice, paced, once (a claim before the send)."""

from __future__ import annotations

from uuid import UUID

from bitten import logs
from bitten.domain.game.records import NoticeStatus
from bitten.ports import Button
from bitten.services.game.deps import GameDispatchDeps

log = logs.get("game_dispatch")


def dispatch_notice(notice_id: UUID, deps: GameDispatchDeps) -> str:
    """'sent', 'already_handled', or 'failed' (blocked, or refused for good); a retryable
    Telegram error puts the notice back and raises, so the queue tries again."""
    with deps.uow() as repos:
        notice = repos.game.notices.claim(notice_id, deps.clock.now())
    if notice is None:
        return "already_handled"
    buttons = [[Button(text="Debrief", callback_data=notice.button)]] if notice.button else None
    deps.pacer.wait(notice.chat_id)
    try:
        message_id = deps.notifier.send_message(notice.chat_id, notice.text, buttons)
    except Exception as err:
        # The Notifier port's errors say whether the same call can work later (flood control,
        # network) or never will (the trader blocked the bot, a bad chat).
        retry = bool(getattr(err, "retryable", False))
        with deps.uow() as repos:
            status = NoticeStatus.QUEUED if retry else NoticeStatus.FAILED
            repos.game.notices.finish(notice_id, status, deps.clock.now())
        if retry:
            raise
        log.warning("notice %s not deliverable: %s", notice_id, err)
        return "failed"
    with deps.uow() as repos:
        repos.game.notices.finish(notice_id, NoticeStatus.SENT, deps.clock.now(), message_id)
    return "sent"
