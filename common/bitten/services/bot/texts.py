"""How the bot answers: Telegram HTML with every value from data escaped, within the limits."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bitten.domain.pacing import Priority
from bitten.ports import Button, Notifier, Outgoing

MAX_TEXT = 4096
CUT = "\n…"


class ReplyFailed(RuntimeError):
    """Telegram did not take the answer; the update is handled again when redelivered."""


def esc(value: object) -> str:
    """A value from data (names, logins, notes, broker messages) safe inside HTML."""
    return escape(str(value), quote=False)


def fit(text: str, limit: int = MAX_TEXT) -> str:
    """Cut a long answer at a line break so it stays within Telegram's 4,096 characters."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(CUT)]
    return head[: head.rfind("\n")] + CUT if "\n" in head else head + CUT


@dataclass(frozen=True)
class Chat:
    """Where a command came from: its chat, the message, whether it is private."""

    chat_id: int
    message_id: int
    private: bool = True


def say(
    notifier: Notifier, chat_id: int, text: str, buttons: list[list[Button]] | None = None
) -> int:
    """Answer a person (reply priority, HTML); ReplyFailed when it could not go."""
    (sent,) = notifier.deliver(
        [
            Outgoing(
                chat_id=chat_id,
                text=fit(text),
                buttons=buttons,
                priority=Priority.REPLY,
                html=True,
            )
        ]
    )
    if sent.message_id is None:
        raise ReplyFailed(f"answer to chat {chat_id} not sent ({sent.status}): {sent.detail}")
    return sent.message_id


def web_app(text: str, base_url: str, path: str) -> Button:
    """A button that opens one of our Mini App pages inside Telegram."""
    return Button(text=text, web_app_url=f"{base_url}{path}")
