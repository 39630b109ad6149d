"""The parts of a Telegram Update the bot reads, validated at the edge."""

from __future__ import annotations

from pydantic import BaseModel


class User(BaseModel):
    id: int
    username: str | None = None
    first_name: str = ""


class Chat(BaseModel):
    id: int


class Message(BaseModel):
    message_id: int
    chat: Chat
    from_: User | None = None
    text: str | None = None

    model_config = {"populate_by_name": True}


class CallbackQuery(BaseModel):
    id: str
    from_: User
    data: str | None = None


class Update(BaseModel):
    update_id: int
    message: Message | None = None
    callback_query: CallbackQuery | None = None
