"""The Telegram Bot API emulator over real HTTP: envelopes, validation, updates, webhooks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from bitten.local.telegram.emulator import EmulatorError, TelegramEmulator

USER = 4201
GROUP = -1001000000000
FIRE_KEYBOARD = {"inline_keyboard": [[{"text": "FIRE", "callback_data": "fire:m-1"}]]}


@pytest.fixture
def emulator() -> Iterator[TelegramEmulator]:
    with TelegramEmulator(webhook_retry_delays=(0.05, 0.05)) as emu:
        emu.user(USER, "Ann", "ann_fx")
        emu.group(GROUP, "BITTEN signals")
        yield emu


def api(emu: TelegramEmulator, method: str, **params: Any) -> httpx.Response:
    return httpx.post(f"{emu.bot_api_url}{emu.token}/{method}", json=params, timeout=10)


class WebhookReceiver:
    """A tiny bot endpoint that records each POST and answers the scripted statuses."""

    def __init__(self, statuses: list[int]):
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.statuses = statuses
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/telegram"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver(statuses=[])
    yield hook
    hook.close()


def test_send_message_returns_a_message_and_is_recorded(emulator: TelegramEmulator) -> None:
    # Given a registered user
    # When the bot sends two messages with a FIRE button, one JSON and one form-encoded
    first = api(
        emulator, "sendMessage", chat_id=USER, text="EURUSD BUY", reply_markup=FIRE_KEYBOARD
    )
    second = httpx.post(
        f"{emulator.bot_api_url}{emulator.token}/sendMessage",
        data={
            "chat_id": str(USER),
            "text": "GBPUSD SELL",
            "reply_markup": json.dumps(FIRE_KEYBOARD),
        },
    )
    # Then Telegram-shaped Messages come back with message_ids counting up in that chat
    assert first.json()["ok"] is True
    assert [first.json()["result"]["message_id"], second.json()["result"]["message_id"]] == [1, 2]
    assert first.json()["result"]["from"]["is_bot"] is True
    assert first.json()["result"]["chat"] == {
        "id": USER,
        "type": "private",
        "first_name": "Ann",
        "username": "ann_fx",
    }
    # And the record holds both with the decoded keyboard
    sent = emulator.sent(USER)
    assert [s["message"]["text"] for s in sent] == ["EURUSD BUY", "GBPUSD SELL"]
    assert sent[1]["message"]["reply_markup"] == FIRE_KEYBOARD


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": 999, "text": "hi"}, "Bad Request: chat not found"),
        ({"chat_id": USER, "text": "   "}, "Bad Request: message text is empty"),
        ({"chat_id": USER, "text": "x" * 4097}, "Bad Request: message is too long"),
        ({"chat_id": USER, "text": "<b>open", "parse_mode": "HTML"}, None),
        (
            {"chat_id": USER, "text": "hi", "parse_mode": "HTMLX"},
            "Bad Request: unsupported parse_mode",
        ),
        (
            {
                "chat_id": USER,
                "text": "hi",
                "reply_markup": {"inline_keyboard": [[{"text": "F", "callback_data": "f" * 65}]]},
            },
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {
                "chat_id": GROUP,
                "text": "hi",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "HUD", "web_app": {"url": "https://h"}}]]
                },
            },
            "Bad Request: BUTTON_TYPE_INVALID",
        ),
    ],
)
def test_send_message_rejects_what_telegram_rejects(
    emulator: TelegramEmulator, params: dict, description: str | None
) -> None:
    # When the bot sends an invalid message
    response = api(emulator, "sendMessage", **params)
    # Then the answer is Telegram's 400 envelope and nothing is stored
    body = response.json()
    assert response.status_code == 400
    assert body["ok"] is False and body["error_code"] == 400
    expected = (
        description
        or "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    assert body["description"] == expected
    assert emulator.sent() == []


def test_html_text_is_stored_as_plain_text_with_entities(emulator: TelegramEmulator) -> None:
    # When the bot sends HTML with a link and an escaped ampersand
    result = api(
        emulator,
        "sendMessage",
        chat_id=USER,
        parse_mode="HTML",
        text='<b>EURUSD</b> &amp; <a href="https://x.io">HUD</a>',
    ).json()["result"]
    # Then the message text is what users see, with bold and text_link entities
    assert result["text"] == "EURUSD & HUD"
    assert result["entities"] == [
        {"type": "bold", "offset": 0, "length": 6},
        {"type": "text_link", "offset": 9, "length": 3, "url": "https://x.io"},
    ]


def test_edit_text_without_markup_removes_the_keyboard(emulator: TelegramEmulator) -> None:
    # Given a message with a FIRE button
    sent = api(
        emulator, "sendMessage", chat_id=USER, text="EURUSD BUY", reply_markup=FIRE_KEYBOARD
    ).json()["result"]
    # When the bot edits its text without a reply_markup
    edited = api(
        emulator, "editMessageText", chat_id=USER, message_id=sent["message_id"], text="FIRED"
    ).json()
    # Then the text changed and the keyboard is gone, as on Telegram
    assert edited["result"]["text"] == "FIRED" and "reply_markup" not in edited["result"]
    assert emulator.messages_in(USER)[0]["text"] == "FIRED"
    assert "edit_date" in emulator.messages_in(USER)[0]


def test_edit_to_the_same_content_is_not_modified(emulator: TelegramEmulator) -> None:
    # Given a plain message
    sent = api(emulator, "sendMessage", chat_id=USER, text="same").json()["result"]
    # When it is edited to the same text
    body = api(
        emulator, "editMessageText", chat_id=USER, message_id=sent["message_id"], text="same"
    ).json()
    # Then Telegram's "message is not modified" comes back
    assert body["description"].startswith("Bad Request: message is not modified")


def test_edit_reply_markup_and_missing_message(emulator: TelegramEmulator) -> None:
    # Given a message with a FIRE button
    sent = api(
        emulator, "sendMessage", chat_id=USER, text="EURUSD", reply_markup=FIRE_KEYBOARD
    ).json()["result"]
    # When the keyboard is removed, and a missing message is edited
    removed = api(
        emulator, "editMessageReplyMarkup", chat_id=USER, message_id=sent["message_id"]
    ).json()
    missing = api(emulator, "editMessageText", chat_id=USER, message_id=99, text="x").json()
    # Then the text stays without buttons, and the missing one gives Telegram's error
    assert removed["result"]["text"] == "EURUSD" and "reply_markup" not in removed["result"]
    assert missing["description"] == "Bad Request: message to edit not found"


def test_user_command_arrives_by_long_polling_and_offset_confirms(
    emulator: TelegramEmulator,
) -> None:
    # Given the bot is waiting in a long poll
    result: dict[str, Any] = {}
    poller = threading.Thread(
        target=lambda: result.update(api(emulator, "getUpdates", timeout=5).json())
    )
    poller.start()
    time.sleep(0.2)
    # When the user sends /start
    update = emulator.send_text(USER, "/start ref42")
    poller.join(5)
    # Then the poll returns the update with a bot_command entity
    (got,) = result["result"]
    assert got["update_id"] == update["update_id"]
    assert got["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    # And getUpdates with offset = update_id + 1 confirms it
    assert api(emulator, "getUpdates", offset=got["update_id"] + 1).json()["result"] == []


def test_get_updates_conflicts_with_an_active_webhook(
    emulator: TelegramEmulator, receiver: WebhookReceiver
) -> None:
    # Given a webhook
    assert api(emulator, "setWebhook", url=receiver.url).json()["description"] == "Webhook was set"
    # When the bot also polls
    response = api(emulator, "getUpdates")
    # Then Telegram's 409 conflict comes back
    assert response.status_code == 409
    assert response.json()["description"].startswith(
        "Conflict: can't use getUpdates method while webhook is active"
    )


def test_press_is_posted_to_the_webhook_with_the_secret_header(
    emulator: TelegramEmulator, receiver: WebhookReceiver
) -> None:
    # Given a FIRE alert and a webhook with a secret
    sent = api(
        emulator, "sendMessage", chat_id=USER, text="EURUSD", reply_markup=FIRE_KEYBOARD
    ).json()["result"]
    api(emulator, "setWebhook", url=receiver.url, secret_token="s3cret_token")
    # When the user presses FIRE
    query_id = emulator.press(USER, sent["message_id"], "fire:m-1")
    assert emulator.flush(5)
    # Then the bot endpoint got the callback_query with the secret header
    ((headers, body),) = receiver.received
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret_token"
    query = body["callback_query"]
    assert (query["id"], query["data"], query["from"]["id"]) == (query_id, "fire:m-1", USER)
    assert query["message"]["message_id"] == sent["message_id"] and query["chat_instance"]
    assert emulator.deliveries()[0]["status"] == 200


def test_failed_webhook_delivery_is_retried_then_recorded(
    emulator: TelegramEmulator, receiver: WebhookReceiver
) -> None:
    # Given a bot endpoint that fails once with 500
    receiver.statuses[:] = [500]
    api(emulator, "setWebhook", url=receiver.url)
    # When a user writes
    update = emulator.send_text(USER, "/status")
    assert emulator.flush(5)
    # Then the same update was posted twice and both statuses are recorded
    assert [b["update_id"] for _, b in receiver.received] == [update["update_id"]] * 2
    assert [(d["attempt"], d["status"]) for d in emulator.deliveries()] == [(1, 500), (2, 200)]
    info = api(emulator, "getWebhookInfo").json()["result"]
    assert info["pending_update_count"] == 0
    assert (
        info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    )


def test_answer_callback_query_is_recorded_once(emulator: TelegramEmulator) -> None:
    # Given a pressed FIRE button
    sent = api(
        emulator, "sendMessage", chat_id=USER, text="EURUSD", reply_markup=FIRE_KEYBOARD
    ).json()["result"]
    query_id = emulator.press(USER, sent["message_id"], "fire:m-1")
    # When the bot answers too long, then correctly, then again
    too_long = api(
        emulator, "answerCallbackQuery", callback_query_id=query_id, text="x" * 201
    ).json()
    first = api(
        emulator, "answerCallbackQuery", callback_query_id=query_id, text="Fired", show_alert=True
    ).json()
    again = api(emulator, "answerCallbackQuery", callback_query_id=query_id, text="Again").json()
    # Then only the valid first answer counts
    assert too_long["description"] == "Bad Request: MESSAGE_TOO_LONG"
    assert first["result"] is True
    assert again["description"].startswith("Bad Request: query is too old")
    answer = emulator.answer_for(query_id)
    assert (answer["text"], answer["show_alert"]) == ("Fired", True)


def test_press_on_a_missing_button_is_refused(emulator: TelegramEmulator) -> None:
    # Given a message with only a FIRE button
    sent = api(
        emulator, "sendMessage", chat_id=USER, text="EURUSD", reply_markup=FIRE_KEYBOARD
    ).json()["result"]
    # When a script presses a button that is not there
    # Then it is refused: no real user could do that
    with pytest.raises(EmulatorError):
        emulator.press(USER, sent["message_id"], "fire:other")


def test_curl_routes_drive_a_user_and_read_the_chat(emulator: TelegramEmulator) -> None:
    # Given an alert with a FIRE button sent by the bot
    sent = api(
        emulator, "sendMessage", chat_id=USER, text="EURUSD", reply_markup=FIRE_KEYBOARD
    ).json()["result"]
    base = emulator.base_url
    # When a person presses it over HTTP and the bot answers
    pressed = httpx.post(
        f"{base}/emulator/users/{USER}/press",
        json={"message_id": sent["message_id"], "data": "fire:m-1"},
    ).json()
    query_id = pressed["result"]["callback_query_id"]
    api(emulator, "answerCallbackQuery", callback_query_id=query_id, text="Order sent")
    # Then the answer and the chat can be read over HTTP too
    answer = httpx.get(f"{base}/emulator/callbacks/{query_id}").json()["result"]["answer"]
    chat = httpx.get(f"{base}/emulator/chats/{USER}/messages").json()["result"]
    assert answer["text"] == "Order sent"
    assert [m["text"] for m in chat] == ["EURUSD"]
    assert pressed["result"]["update_id"] == emulator.updates()[-1]["update_id"]


def test_curl_text_route_registers_a_new_user(emulator: TelegramEmulator) -> None:
    # When a person writes as an unknown user over HTTP
    body = httpx.post(
        f"{emulator.base_url}/emulator/users/777/text",
        json={"text": "/connect", "first_name": "Bob"},
    ).json()
    # Then the user exists and the update carries the command
    assert body["result"]["message"]["from"]["first_name"] == "Bob"
    assert emulator.pending_updates()[0]["message"]["text"] == "/connect"


def test_the_readme_curl_example_works_as_written(emulator: TelegramEmulator) -> None:
    # When the README's `curl -X POST $EMU/emulator/users/42/text -d '{"text": "/start"}'`
    # runs: curl -d sends the JSON with a form Content-Type
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    sent = httpx.post(
        f"{emulator.base_url}/emulator/users/42/text", content=b'{"text": "/start"}', headers=form
    )
    # Then it is read as JSON and /start reaches the bot
    assert sent.status_code == 200, sent.text
    assert emulator.pending_updates()[-1]["message"]["text"] == "/start"


def test_a_script_route_names_the_missing_parameter(emulator: TelegramEmulator) -> None:
    answer = httpx.post(f"{emulator.base_url}/emulator/users/42/text", json={"txt": "/start"})
    assert (answer.status_code, answer.json()["error"]) == (400, "missing parameter 'text'")


def test_wrong_token_is_unauthorized_and_unknown_method_not_found(
    emulator: TelegramEmulator,
) -> None:
    # When the token is wrong, or the method does not exist
    wrong = httpx.post(f"{emulator.bot_api_url}1:WRONG/getMe")
    unknown = httpx.post(f"{emulator.bot_api_url}{emulator.token}/sendRocket")
    # Then Telegram's 401 and 404 come back
    assert (wrong.status_code, wrong.json()["description"]) == (401, "Unauthorized")
    assert (unknown.status_code, unknown.json()["description"]) == (404, "Not Found")


def test_set_my_commands_is_stored_and_validated(emulator: TelegramEmulator) -> None:
    # When the bot publishes a menu, then an invalid command
    ok = api(
        emulator, "setMyCommands", commands=[{"command": "start", "description": "Link account"}]
    ).json()
    bad = api(
        emulator, "setMyCommands", commands=[{"command": "Start!", "description": "x"}]
    ).json()
    # Then the valid menu is stored and the invalid one refused
    assert ok["result"] is True
    assert emulator.commands() == [{"command": "start", "description": "Link account"}]
    assert bad["description"] == "Bad Request: BOT_COMMAND_INVALID"


def test_blocked_user_gives_forbidden(emulator: TelegramEmulator) -> None:
    # Given a user who blocked the bot
    emulator.block(USER)
    # When the bot writes to them
    response = api(emulator, "sendMessage", chat_id=USER, text="hi")
    # Then Telegram answers 403
    assert (response.status_code, response.json()["description"]) == (
        403,
        "Forbidden: bot was blocked by the user",
    )


def test_a_second_poller_terminates_the_first(emulator: TelegramEmulator) -> None:
    # Given a bot instance waiting in a long poll
    result: dict[str, Any] = {}
    first = threading.Thread(
        target=lambda: result.update(api(emulator, "getUpdates", timeout=5).json())
    )
    first.start()
    time.sleep(0.2)
    # When a second instance starts polling
    api(emulator, "getUpdates", timeout=0)
    first.join(5)
    # Then the first gets Telegram's 409 "terminated by other getUpdates request"
    assert result["error_code"] == 409
    assert result["description"].startswith("Conflict: terminated by other getUpdates request")


def test_webhook_reply_with_a_method_is_executed(emulator: TelegramEmulator) -> None:
    # Given a bot endpoint that answers each update with a sendMessage in the response body
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            update = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            reply = json.dumps(
                {
                    "method": "sendMessage",
                    "chat_id": update["message"]["chat"]["id"],
                    "text": "pong",
                }
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply.encode())

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        api(emulator, "setWebhook", url=f"http://127.0.0.1:{server.server_address[1]}/hook")
        # When the user writes /ping
        emulator.send_text(USER, "/ping")
        assert emulator.flush(5)
        deadline = time.monotonic() + 5
        while not emulator.sent(USER) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        server.shutdown()
        server.server_close()
    # Then the reply's method ran as if the bot had called it
    assert [s["message"]["text"] for s in emulator.sent(USER)] == ["pong"]


def test_stop_releases_a_pending_long_poll() -> None:
    # Given a bot waiting 30 s in a long poll
    emu = TelegramEmulator()
    emu.start()
    result: dict[str, Any] = {}
    poller = threading.Thread(
        target=lambda: result.update(api(emu, "getUpdates", timeout=30).json())
    )
    poller.start()
    deadline = time.monotonic() + 10
    while emu.state.poll_generation == 0 and time.monotonic() < deadline:
        time.sleep(0.01)  # the long poll has reached the emulator
    # When the emulator stops
    emu.stop()
    poller.join(5)
    # Then the poll has returned (empty) instead of hanging
    assert not poller.is_alive()
    assert result == {"ok": True, "result": []}


def test_a_deleted_messages_id_is_never_given_again(emulator: TelegramEmulator) -> None:
    # Given a user's message that the bot deleted (it carried a password)
    update = emulator.send_text(USER, "/connect 123 secret")
    emulator.call("deleteMessage", {"chat_id": USER, "message_id": update["message"]["message_id"]})
    # When the bot answers
    answer = emulator.call("sendMessage", {"chat_id": USER, "text": "linked"})
    # Then the answer has a new id, as on Telegram
    assert answer["message_id"] == update["message"]["message_id"] + 1
