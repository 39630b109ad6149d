"""Telegram Stars in the emulator: sendInvoice, the user paying (pre-checkout, then
successful_payment), answerPreCheckoutQuery within 10 s, refundStarPayment."""

from __future__ import annotations

import copy
import itertools
import time
from typing import Any

from bitten.local.telegram.checks import as_bool, as_int, as_json, bad, chat_id_of
from bitten.local.telegram.methods import Method
from bitten.local.telegram.state import BotState, EmulatorError

PRE_CHECKOUT_TIMEOUT = 10.0  # Telegram cancels the payment when the bot is slower
_charges = itertools.count(1)


def _stars_prices(params: dict[str, Any]) -> int:
    prices = as_json(params, "prices", "prices")
    if not isinstance(prices, list) or len(prices) != 1:
        raise bad("STARS_INVOICE_INVALID: an XTR invoice has exactly one price")
    amount = prices[0].get("amount") if isinstance(prices[0], dict) else None
    if not isinstance(amount, int) or not 1 <= amount <= 100_000:
        raise bad("PRICE_AMOUNT_INVALID")
    return amount


def _check_invoice(params: dict[str, Any]) -> tuple[str, str, str, int]:
    title, description = str(params.get("title") or ""), str(params.get("description") or "")
    payload = str(params.get("payload") or "")
    if not 1 <= len(title) <= 32:
        raise bad("INVOICE_TITLE_INVALID: title must be 1-32 characters")
    if not 1 <= len(description) <= 255:
        raise bad("INVOICE_DESCRIPTION_INVALID: description must be 1-255 characters")
    if not 1 <= len(payload.encode()) <= 128:
        raise bad("INVOICE_PAYLOAD_INVALID: payload must be 1-128 bytes")
    if params.get("currency") != "XTR" or params.get("provider_token"):
        raise bad("CURRENCY_INVALID: digital goods are sold in XTR with no provider token")
    return title, description, payload, _stars_prices(params)


def send_invoice(state: BotState, params: dict[str, Any]) -> dict[str, Any]:
    """sendInvoice in Telegram Stars; the payload stays with the emulator, as on Telegram."""
    title, description, payload, amount = _check_invoice(params)
    with state.cond:
        chat = state.chat(chat_id_of(params))
        state.admit(chat)
        invoice = {
            "title": title,
            "description": description,
            "start_parameter": str(params.get("start_parameter") or ""),
            "currency": "XTR",
            "total_amount": amount,
        }
        message = state.new_message(chat["id"], state.bot_user, {"invoice": invoice})
        state.invoices[(chat["id"], message["message_id"])] = {**invoice, "payload": payload}
        state.record_sent("sendInvoice", params, message)
        return copy.deepcopy(message)


def answer_pre_checkout_query(state: BotState, params: dict[str, Any]) -> bool:
    """Once per query, within 10 s; a refusal must say why (error_message)."""
    with state.cond:
        query = state.pre_checkouts.get(str(params.get("pre_checkout_query_id") or ""))
        if query is None or query["answer"] is not None:
            raise bad("QUERY_ID_INVALID")
        if time.monotonic() - query["at"] > PRE_CHECKOUT_TIMEOUT:
            raise bad("query is too old and response timeout expired or query ID is invalid")
        ok = as_bool(params, "ok")
        error = str(params.get("error_message") or "")
        if not ok and not error:
            raise bad("ERROR_MESSAGE_EMPTY: a refused pre-checkout needs error_message")
        query["answer"] = {"ok": ok, "error_message": error}
        state.cond.notify_all()
        return True


def refund_star_payment(state: BotState, params: dict[str, Any]) -> bool:
    """Give the Stars back; Telegram then tells the bot with a refunded_payment message."""
    user_id = as_int(params, "user_id")
    with state.cond:
        charge = state.charges.get(str(params.get("telegram_payment_charge_id") or ""))
        if charge is None or charge["user_id"] != user_id:
            raise bad("CHARGE_NOT_FOUND")
        if charge["refunded"]:
            raise bad("CHARGE_ALREADY_REFUNDED")
        charge["refunded"] = True
        state.star_balance -= charge["total_amount"]
        _service_message(state, user_id, "refunded_payment", charge)
        return True


def _service_message(state: BotState, user_id: int, kind: str, charge: dict[str, Any]) -> None:
    payment = {k: charge[k] for k in ("currency", "total_amount", "invoice_payload")}
    payment["telegram_payment_charge_id"] = charge["id"]
    message = state.new_message(user_id, state.user(user_id), {kind: payment})
    state.push_update("message", message)


def pay(state: BotState, user_id: int, message_id: int) -> dict[str, Any]:
    """The user pays an invoice: pre_checkout_query, the bot's answer (10 s at most), then
    successful_payment. Returns {ok, telegram_payment_charge_id} or {ok: False, error}."""
    with state.cond:
        invoice = state.invoices.get((user_id, message_id))
        if invoice is None:
            raise EmulatorError(f"no invoice with message_id {message_id} in chat {user_id}")
        query_id = state.new_callback_id()
        query = {
            "id": query_id,
            "from": copy.deepcopy(state.user(user_id)),
            "currency": "XTR",
            "total_amount": invoice["total_amount"],
            "invoice_payload": invoice["payload"],
        }
        state.pre_checkouts[query_id] = {"query": query, "answer": None, "at": time.monotonic()}
        state.push_update("pre_checkout_query", query)
        answer = _await_answer(state, query_id)
        if answer is None:
            return {"ok": False, "error": "the bot did not answer the pre-checkout query in 10 s"}
        if not answer["ok"]:
            return {"ok": False, "error": answer["error_message"]}
        return {"ok": True, "telegram_payment_charge_id": _charge(state, user_id, invoice)}


def _await_answer(state: BotState, query_id: str) -> dict[str, Any] | None:
    deadline = time.monotonic() + PRE_CHECKOUT_TIMEOUT
    while state.pre_checkouts[query_id]["answer"] is None and not state.stopped:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        state.cond.wait(left)
    answer: dict[str, Any] | None = state.pre_checkouts[query_id]["answer"]
    return answer


def _charge(state: BotState, user_id: int, invoice: dict[str, Any]) -> str:
    charge_id = f"stxEMU{next(_charges):08d}{user_id}"
    charge = {
        "id": charge_id,
        "user_id": user_id,
        "currency": "XTR",
        "total_amount": invoice["total_amount"],
        "invoice_payload": invoice["payload"],
        "refunded": False,
    }
    state.charges[charge_id] = charge
    state.star_balance += invoice["total_amount"]
    _service_message(state, user_id, "successful_payment", charge)
    return charge_id


PAYMENT_METHODS: dict[str, Method] = {
    "sendinvoice": send_invoice,
    "answerprecheckoutquery": answer_pre_checkout_query,
    "refundstarpayment": refund_star_payment,
}
