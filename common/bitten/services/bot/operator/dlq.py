"""/dlq: each queue's depth and the first dead letter of each non-empty DLQ, with a Redrive
button whose press moves it back (audited)."""

from __future__ import annotations

import json

from bitten.domain.operator import DeadLetter, UnknownTarget
from bitten.ports import Button
from bitten.services.bot.models import CallbackQuery, User
from bitten.services.bot.operator.common import actor, ops
from bitten.services.bot.texts import Chat, esc, say
from bitten.services.deps import BotDeps
from bitten.services.operator.queues import peek_dead_letters, queue_depths, redrive_dead_letter

REDRIVE_PREFIX = "redrive:"
BOT_REASON = "bot redrive"
SHOWN = 300  # characters of a body shown in the chat


def dlq(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    lines, buttons = ["<b>Queues</b>"], []
    for q in queue_depths(ops(deps)):
        lines.append(f"{q.name}: {q.depth} waiting · {q.dead_letters} dead")
        if q.dead_letters:
            for letter in peek_dead_letters(q.name, ops(deps), 1):
                lines.append(_letter(q.name, letter))
                data = f"{REDRIVE_PREFIX}{q.name}:{letter.message_id}"
                buttons.append([Button(text=f"Redrive {q.name}", callback_data=data)])
    say(deps.notifier, chat.chat_id, "\n".join(lines), buttons or None)
    return "dlq"


def _letter(queue: str, letter: DeadLetter) -> str:
    body = letter.body if isinstance(letter.body, str) else json.dumps(letter.body)
    tries = f"{letter.receive_count} tries"
    return f"  {queue} DLQ, first ({tries}): <code>{esc(body[:SHOWN])}</code>"


def on_redrive(query: CallbackQuery, deps: BotDeps) -> str:
    """The Redrive button: operators only; the answer says what happened."""
    if deps.ops is None or query.from_.id not in deps.operator_ids:
        deps.notifier.answer_callback(query.id, "Operators only.", alert=True)
        return "not_operator"
    queue, _, message_id = (query.data or "")[len(REDRIVE_PREFIX) :].partition(":")
    try:
        redrive_dead_letter(queue, message_id, BOT_REASON, actor(query.from_), ops(deps))
    except UnknownTarget as err:
        deps.notifier.answer_callback(query.id, f"Not redriven: {err}", alert=True)
        return "redrive_unknown"
    deps.notifier.answer_callback(query.id, f"Redriven to {queue}.")
    return "redriven"
