"""/throne (status and the page), /pause and /resume (the kill switch), /broadcast."""

from __future__ import annotations

from bitten.domain.switches import Switch
from bitten.domain.tiers import Tier
from bitten.services.bot.models import User
from bitten.services.bot.operator.common import actor, ops
from bitten.services.bot.texts import Chat, esc, say, web_app
from bitten.services.deps import BotDeps
from bitten.services.operator.broadcast import broadcast
from bitten.services.operator.queues import queue_depths
from bitten.services.ops import ops_status, set_switch

BOT_REASON = "bot broadcast"


def throne(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    """Switches, queue and DLQ depths, the last audit entries, and the Throne page."""
    if not chat.private:  # Telegram shows web_app buttons in private chats only
        say(deps.notifier, chat.chat_id, "Open the Throne from a private chat with me.")
        return "not_private"
    status = ops_status(ops(deps), recent=5)
    lines = ["<b>COMMANDER THRONE</b>"]
    for s in status.switches:
        state = f"PAUSED by {esc(s.changed_by)}: {esc(s.reason)}" if s.paused else "running"
        lines.append(f"{s.name.value}: {state}")
    lines += _queue_lines(deps)
    lines.append("<b>Last actions</b>")
    lines += [
        f"{e.at:%d %b %H:%M} {esc(e.actor)} {e.action} {esc(e.target)}: {esc(e.reason)}"
        for e in status.recent
    ] or ["none"]
    button = web_app("Open the Throne", ops(deps).hud_base_url, "/throne")
    say(deps.notifier, chat.chat_id, "\n".join(lines), [[button]])
    return "throne"


def _queue_lines(deps: BotDeps) -> list[str]:
    try:
        depths = queue_depths(ops(deps))
    except Exception as err:  # noqa: BLE001 (the status still shows the rest)
        return [f"queues: unavailable ({esc(err)})"]
    return [
        f"{q.name}: {q.depth} waiting · {q.in_flight} in flight · {q.dead_letters} dead"
        for q in depths
    ]


def _switch(chat: Chat, user: User, arg: str, deps: BotDeps, paused: bool) -> str:
    verb = "pause" if paused else "resume"
    name, _, reason = arg.partition(" ")
    if name not in {s.value for s in Switch} or not reason.strip():
        say(deps.notifier, chat.chat_id, f"Usage: /{verb} signals|firing REASON")
        return "usage"
    state = set_switch(Switch(name), paused, reason, actor(user), ops(deps))
    done = "PAUSED" if state.paused else "running again"
    say(deps.notifier, chat.chat_id, f"{state.name.value} {done}: {esc(state.reason)}")
    return f"{verb}d"


def pause(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    return _switch(chat, user, arg, deps, True)


def resume(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    return _switch(chat, user, arg, deps, False)


def broadcast_command(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    """/broadcast [TIER] TEXT, with an optional last line "reason: WHY"."""
    first, _, rest = arg.partition(" ")
    tier = Tier.__members__.get(first.upper())
    text = rest if tier else arg
    body, _, why = text.rpartition("\nreason:") if "\nreason:" in text else (text, "", BOT_REASON)
    if not body.strip():
        say(deps.notifier, chat.chat_id, "Usage: /broadcast [TIER] TEXT (last line: reason: WHY)")
        return "usage"
    try:
        sent = broadcast(body, tier, why, actor(user), ops(deps))
    except ValueError as err:  # no reason after "reason:", or over Telegram's length
        say(deps.notifier, chat.chat_id, f"Not sent: {esc(err)}")
        return "refused"
    who = f"the {tier.value} traders" if tier else "every trader"
    say(deps.notifier, chat.chat_id, f"Broadcast queued for {who}: {sent.recipients} recipient(s).")
    return "broadcast"
