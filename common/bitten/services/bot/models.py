"""The parts of a Telegram Update the bot reads, validated at the edge."""

from __future__ import annotations

from pydantic import BaseModel


class User(BaseModel):
    id: int
    username: str | None = None
    first_name: str = ""


class Chat(BaseModel):
    id: int
    type: str = "private"


class Payment(BaseModel):
    """successful_payment or refunded_payment (Stars: currency XTR)."""

    currency: str
    total_amount: int
    invoice_payload: str
    telegram_payment_charge_id: str


class Message(BaseModel):
    message_id: int
    chat: Chat
    from_: User | None = None
    text: str | None = None
    successful_payment: Payment | None = None
    refunded_payment: Payment | None = None

    model_config = {"populate_by_name": True}


class CallbackQuery(BaseModel):
    id: str
    from_: User
    data: str | None = None


class PreCheckoutQuery(BaseModel):
    id: str
    from_: User
    currency: str
    total_amount: int
    invoice_payload: str


class Update(BaseModel):
    update_id: int
    message: Message | None = None
    callback_query: CallbackQuery | None = None
    pre_checkout_query: PreCheckoutQuery | None = None
