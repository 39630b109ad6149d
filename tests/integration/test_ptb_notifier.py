"""PtbNotifier and poll_updates: real python-telegram-bot talking HTTP to the local emulator."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bitten.adapters.telegram import NotifierError, PtbNotifier
from bitten.adapters.telegram_fakes import RecordingNotifier
from bitten.adapters.telegram_polling import poll_updates
from bitten.local.telegram.emulator import TelegramEmulator
from bitten.ports import Button

USER = 5150
GROUP = -1001000000000
MISSION = "7b0c6a52-8f0e-4c53-9a55-0a1f2e3d4c5b"
# PTB's own RetryAfter constructor warns about its future timedelta type; not ours to fix.
PTB_RETRY_WARNING = "ignore::telegram.warnings.PTBDeprecationWarning"


def alert_buttons(mission_id: str = MISSION) -> list[list[Button]]:
    return [
        [Button(text="FIRE", callback_data=f"fire:{mission_id}")],
        [Button(text="HUD", url=f"https://hud.example/missions/{mission_id}")],
    ]


@pytest.fixture
def emulator() -> Iterator[TelegramEmulator]:
    with TelegramEmulator(webhook_retry_delays=(0.05,)) as emu:
        emu.user(USER, "Ann", "ann_fx")
        emu.group(GROUP, "BITTEN signals")
        yield emu


@pytest.fixture
def notifier(emulator: TelegramEmulator) -> Iterator[PtbNotifier]:
    ptb = PtbNotifier(emulator.token, base_url=emulator.bot_api_url)
    yield ptb
    ptb.close()


def test_alert_with_fire_and_hud_buttons_reaches_the_chat(
    emulator: TelegramEmulator, notifier: PtbNotifier
) -> None:
    # When the bot sends a personal alert with FIRE and HUD buttons
    message_id = notifier.send_message(USER, "EURUSD BUY 0.10 lots <SL 1.0800>", alert_buttons())
    # Then the emulator holds it verbatim, with PTB's keyboard intact
    (record,) = emulator.sent(USER)
    message = record["message"]
    assert message["message_id"] == message_id == 1
    assert message["text"] == "EURUSD BUY 0.10 lots <SL 1.0800>"
    assert message["reply_markup"]["inline_keyboard"] == [
        [{"text": "FIRE", "callback_data": f"fire:{MISSION}"}],
        [{"text": "HUD", "url": f"https://hud.example/missions/{MISSION}"}],
    ]


def test_html_parse_mode_renders_and_rejects_bad_markup(emulator: TelegramEmulator) -> None:
    # Given a notifier that formats alerts as HTML
    html = PtbNotifier(emulator.token, base_url=emulator.bot_api_url, parse_mode="HTML")
    try:
        # When it sends bold text, then an unescaped "<"
        html.send_message(USER, "<b>EURUSD</b> P&L +12")
        with pytest.raises(NotifierError) as caught:
            html.send_message(USER, "SL <1.0800")
    finally:
        html.close()
    # Then the first is rendered with a bold entity and the second refused like Telegram does
    (message,) = emulator.messages_in(USER)
    assert message["text"] == "EURUSD P&L +12"
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 6}]
    assert "can't parse entities" in caught.value.description.lower()


def test_web_app_button_goes_through_as_web_app(
    emulator: TelegramEmulator, notifier: PtbNotifier
) -> None:
    # When the alert carries a Mini App button
    notifier.send_message(
        USER, "HUD", [[Button(text="HUD", web_app_url="https://hud.example/app")]]
    )
    # Then Telegram sees a web_app button
    button = emulator.messages_in(USER)[0]["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": "HUD", "web_app": {"url": "https://hud.example/app"}}


def test_edit_replaces_text_and_drops_the_fire_button(
    emulator: TelegramEmulator, notifier: PtbNotifier
) -> None:
    # Given a sent alert
    message_id = notifier.send_message(USER, "EURUSD BUY", alert_buttons())
    # When it is edited after the fire, twice (a retried edit)
    notifier.edit_message(USER, message_id, "EURUSD BUY - fired")
    notifier.edit_message(USER, message_id, "EURUSD BUY - fired")
    # Then the chat shows the new text without buttons, and the retry was harmless
    (message,) = emulator.messages_in(USER)
    assert message["text"] == "EURUSD BUY - fired"
    assert "reply_markup" not in message
    assert [s["method"] for s in emulator.sent(USER)] == ["sendMessage", "editMessageText"]


def test_edit_buttons_keeps_text(emulator: TelegramEmulator, notifier: PtbNotifier) -> None:
    # Given a sent alert
    message_id = notifier.send_message(USER, "EURUSD BUY", alert_buttons())
    # When only the HUD button is kept
    notifier.edit_buttons(USER, message_id, [[Button(text="HUD", url="https://hud.example/m")]])
    # Then the text is unchanged and one button is left
    (message,) = emulator.messages_in(USER)
    assert message["text"] == "EURUSD BUY"
    assert message["reply_markup"] == {
        "inline_keyboard": [[{"text": "HUD", "url": "https://hud.example/m"}]]
    }


def test_too_long_callback_data_raises_notifier_error(notifier: PtbNotifier) -> None:
    # When the FIRE button carries 65 bytes of callback_data
    buttons = [[Button(text="FIRE", callback_data="fire:" + "x" * 60)]]
    # Then Telegram's BUTTON_DATA_INVALID surfaces as a NotifierError
    with pytest.raises(NotifierError) as caught:
        notifier.send_message(USER, "EURUSD", buttons)
    assert caught.value.method == "sendMessage"
    assert "button_data_invalid" in caught.value.description.lower()
    assert not caught.value.retryable


def test_unknown_chat_and_blocked_user_are_distinguished(
    emulator: TelegramEmulator, notifier: PtbNotifier
) -> None:
    # Given a user who blocked the bot
    emulator.block(USER)
    # When the bot writes to them and to a chat that does not exist
    with pytest.raises(NotifierError) as blocked:
        notifier.send_message(USER, "hi")
    with pytest.raises(NotifierError) as missing:
        notifier.send_message(424242, "hi")
    # Then the blocked one is flagged, the missing one says chat not found
    assert blocked.value.blocked is True
    assert "chat not found" in missing.value.description.lower() and not missing.value.blocked


@pytest.mark.filterwarnings(PTB_RETRY_WARNING)
def test_flood_control_is_waited_out_and_the_message_kept(
    emulator: TelegramEmulator, notifier: PtbNotifier
) -> None:
    # Given Telegram answers 429 retry_after=1 to the next two sendMessage calls
    emulator.inject_error(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=2
    )
    # When the bot sends an alert
    message_id = notifier.send_message(GROUP, "GBPUSD SELL")
    # Then it waited each retry_after out and the message arrived, once
    assert [c["status"] for c in emulator.calls("sendMessage")] == [429, 429, 200]
    assert [m["message_id"] for m in emulator.messages_in(GROUP)] == [message_id]
    assert notifier.flood_waits == 2


@pytest.mark.filterwarnings(PTB_RETRY_WARNING)
def test_flood_control_longer_than_the_budget_is_a_flood_error(emulator: TelegramEmulator) -> None:
    # Given a notifier that may wait 1 s in all, and Telegram asking for 5 s
    notifier = PtbNotifier(emulator.token, base_url=emulator.bot_api_url, flood_budget=1.0)
    emulator.inject_error("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
    # When the bot sends
    with pytest.raises(NotifierError) as caught:
        notifier.send_message(GROUP, "GBPUSD SELL")
    notifier.close()
    # Then the caller is told to keep the message and try after retry_after
    assert (caught.value.flood, caught.value.retry_after, caught.value.retryable) == (
        True,
        5.0,
        True,
    )
    assert emulator.messages_in(GROUP) == []


def test_answer_callback_text_is_recorded_for_that_query(
    emulator: TelegramEmulator, notifier: PtbNotifier
) -> None:
    # Given a user pressed FIRE on an alert
    message_id = notifier.send_message(USER, "EURUSD BUY", alert_buttons())
    query_id = emulator.press(USER, message_id, f"fire:{MISSION}")
    # When the bot answers with an alert box
    notifier.answer_callback(query_id, "Order sent to your broker", alert=True)
    # Then the emulator records that answer for that callback id
    assert emulator.answer_for(query_id)["text"] == "Order sent to your broker"
    assert emulator.answer_for(query_id)["show_alert"] is True


def test_start_arrives_through_poll_updates_with_offsets(emulator: TelegramEmulator) -> None:
    # Given two users' messages queued before polling starts
    first = emulator.send_text(USER, "/start")
    second = emulator.send_text(USER, "/status")
    seen: list[dict[str, Any]] = []
    stop = threading.Event()

    def handle(update: dict[str, Any]) -> None:
        seen.append(update)
        if len(seen) == 2:
            stop.set()

    # When poll_updates runs until both are handled
    offset = poll_updates(emulator.token, emulator.bot_api_url, handle, stop, timeout=1)
    # Then each update reached the handler once, in order, and the offset is confirmed
    assert [u["update_id"] for u in seen] == [first["update_id"], second["update_id"]]
    assert seen[0]["message"]["text"] == "/start"
    assert offset == second["update_id"] + 1
    assert emulator.pending_updates() == []


def test_poll_updates_skips_a_failing_update(emulator: TelegramEmulator) -> None:
    # Given a handler that fails on /boom
    emulator.send_text(USER, "/boom")
    last = emulator.send_text(USER, "/start")
    seen: list[str] = []
    stop = threading.Event()

    def handle(update: dict[str, Any]) -> None:
        if update["message"]["text"] == "/boom":
            raise RuntimeError("bad handler")
        seen.append(update["message"]["text"])
        stop.set()

    # When polling
    offset = poll_updates(emulator.token, emulator.bot_api_url, handle, stop, timeout=1)
    # Then the next update still gets through and nothing is re-polled
    assert seen == ["/start"]
    assert offset == last["update_id"] + 1


@pytest.fixture
def bot_endpoint() -> Iterator[tuple[str, list[tuple[str | None, dict[str, Any]]]]]:
    """A tiny HTTP endpoint standing in for the api's Telegram webhook route."""
    received: list[tuple[str | None, dict[str, Any]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/telegram/webhook", received
    server.shutdown()
    server.server_close()


def test_webhook_set_by_notifier_receives_a_press_with_the_secret(
    emulator: TelegramEmulator, notifier: PtbNotifier, bot_endpoint: tuple[str, list]
) -> None:
    # Given the bot registered its webhook with a secret, and sent an alert
    url, received = bot_endpoint
    notifier.set_webhook(url, secret_token="bitten-secret")
    message_id = notifier.send_message(USER, "EURUSD BUY", alert_buttons())
    # When the user presses FIRE
    query_id = emulator.press(USER, message_id, f"fire:{MISSION}")
    assert emulator.flush(5)
    # Then the endpoint got the callback_query with the secret header
    ((secret, update),) = received
    assert secret == "bitten-secret"
    assert update["callback_query"]["id"] == query_id
    assert update["callback_query"]["data"] == f"fire:{MISSION}"
    assert update["callback_query"]["message"]["message_id"] == message_id


def test_notifier_works_from_many_threads(
    emulator: TelegramEmulator, notifier: PtbNotifier
) -> None:
    # When eight threads send alerts at once
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda n: notifier.send_message(GROUP, f"signal {n}"), range(8)))
    # Then every message got its own id in the group
    assert sorted(ids) == list(range(1, 9))


def test_recording_notifier_behaves_like_telegram() -> None:
    # Given the unit-test fake
    fake = RecordingNotifier()
    # When it sends two messages, edits one and is asked for a too-long callback_data
    first = fake.send_message(USER, "EURUSD", alert_buttons())
    second = fake.send_message(USER, "GBPUSD")
    fake.edit_message(USER, first, "EURUSD - fired")
    fake.answer_callback("cb-1", "Fired")
    # Then ids count up per chat and Telegram's limits still apply
    assert (first, second) == (1, 2)
    assert fake.edits[0]["text"] == "EURUSD - fired"
    assert fake.answer_for("cb-1")["text"] == "Fired"
    with pytest.raises(NotifierError):
        fake.send_message(USER, "x", [[Button(text="FIRE", callback_data="f" * 65)]])
