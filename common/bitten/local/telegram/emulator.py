"""Local Telegram Bot API emulator: real HTTP protocol, recorded, scriptable by tests or curl."""

from __future__ import annotations

import copy
import hashlib
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from bitten.local.telegram.actions import EmulatorActions
from bitten.local.telegram.checks import has_callback_button, normalize
from bitten.local.telegram.html import utf16_len
from bitten.local.telegram.http import EmulatorServer
from bitten.local.telegram.limits import TelegramLimits
from bitten.local.telegram.methods import MESSAGE_METHODS
from bitten.local.telegram.payments import PAYMENT_METHODS
from bitten.local.telegram.record import EmulatorRecord
from bitten.local.telegram.state import ApiError, BotState, EmulatorError
from bitten.local.telegram.updates import UPDATE_METHODS, DescribedResult
from bitten.local.telegram.webhook import WebhookDelivery

DEFAULT_TOKEN = "123456789:LOCAL-EMULATOR-TOKEN"
METHODS = {**MESSAGE_METHODS, **UPDATE_METHODS, **PAYMENT_METHODS}
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")

__all__ = ["DEFAULT_TOKEN", "ApiError", "EmulatorError", "TelegramEmulator"]


class TelegramEmulator(EmulatorRecord, EmulatorActions):
    """A Bot API server on 127.0.0.1 that records what the bot sends and plays the users.

    Telegram's flood limits are on (`limits`, default TelegramLimits()) unless `unlimited`.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "bitten_local_bot",
        bot_name: str = "BITTEN",
        webhook_retry_delays: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0),
        limits: TelegramLimits | None = None,
        unlimited: bool = False,
        clock: Callable[[], float] = time.time,
    ):
        self.token = token
        self.state = BotState(
            int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1, bot_username, bot_name
        )
        self.state.limits = None if unlimited else (limits or TelegramLimits())
        self.clock = clock  # epoch seconds of Mini App auth_date (wall time unless given)
        self._address = (host, port)
        self._retry_delays = webhook_retry_delays
        self._server: EmulatorServer | None = None
        self._threads: list[threading.Thread] = []

    # lifecycle -----------------------------------------------------------------------------
    def start(self) -> str:
        """Serve in background threads; return the base URL (http://127.0.0.1:<port>)."""
        self._server = EmulatorServer(self._address, self)
        delivery = WebhookDelivery(self.state, self.call, self._retry_delays)
        serve = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="telegram-emulator", daemon=True
        )
        self._threads = [serve, delivery]
        for thread in self._threads:
            thread.start()
        return self.base_url

    def stop(self) -> None:
        """Wake long polls, stop the webhook thread and close the socket."""
        with self.state.cond:
            self.state.stopped = True
            self.state.cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> TelegramEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise EmulatorError("emulator not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def bot_api_url(self) -> str:
        """What PTB calls base_url: Bot(token, base_url=emulator.bot_api_url)."""
        return f"{self.base_url}/bot"

    # Bot API -------------------------------------------------------------------------------
    def handle_api(
        self, token: str, method: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """One Bot API request -> (HTTP status, Telegram envelope); every call is recorded."""
        if token != self.token:
            return 401, ApiError(401, "Unauthorized").envelope()
        if method.lower() not in METHODS:
            return 404, ApiError(404, "Not Found").envelope()
        try:
            params = normalize(params)
            body = {"ok": True, **_result_body(self.call(method, params))}
            status = 200
        except ApiError as exc:
            body, status = exc.envelope(), exc.code
        except (ValueError, TypeError, AttributeError) as exc:  # malformed field types
            body, status = ApiError(400, f"Bad Request: invalid parameter: {exc}").envelope(), 400
        with self.state.cond:
            self.state.calls.append(
                {"method": method, "params": params, "status": status, "response": body}
            )
        return status, body

    def call(self, method: str, params: dict[str, Any]) -> Any:
        """Run a Bot API method in-process (no HTTP); raises ApiError like Telegram would answer."""
        injected = self.state.take_injected(method)
        if injected:
            raise injected
        if method.lower() not in METHODS:
            raise ApiError(404, "Not Found")
        return METHODS[method.lower()](self.state, params)

    def inject_error(
        self,
        method: str,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail (e.g. 429 with retry_after)."""
        parameters = {"retry_after": retry_after} if retry_after else None
        with self.state.cond:
            queue = self.state.injected.setdefault(method.lower(), [])
            queue.extend(ApiError(error_code, description, parameters) for _ in range(times))

    # users and chats -----------------------------------------------------------------------
    def user(
        self, user_id: int, first_name: str = "Trader", username: str | None = None
    ) -> dict[str, Any]:
        """Register a user and their private chat with the bot (chat_id == user_id)."""
        return self.state.add_user(user_id, first_name, username)

    def group(self, chat_id: int, title: str) -> dict[str, Any]:
        """Register a group or supergroup (ids starting with -100) the bot is a member of."""
        return self.state.add_group(chat_id, title)

    def block(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sends then fail with 403."""
        with self.state.cond:
            (self.state.blocked.add if blocked else self.state.blocked.discard)(user_id)

    def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> dict[str, Any]:
        """The user writes `text` (commands get bot_command entities); returns the queued Update."""
        with self.state.cond:
            sender = self.state.user(user_id)
            chat = chat_id if chat_id is not None else user_id
            if chat not in self.state.chats:
                raise EmulatorError(f"unknown chat {chat}")
            fields: dict[str, Any] = {"text": text}
            entities = _command_entities(text)
            if entities:
                fields["entities"] = entities
            message = self.state.new_message(chat, sender, fields)
            return self.state.push_update("message", message)

    def press(self, user_id: int, message_id: int, data: str, chat_id: int | None = None) -> str:
        """The user taps an inline button carrying `data`; returns the callback_query id."""
        return self.press_update(user_id, message_id, data, chat_id)["callback_query"]["id"]

    def press_update(
        self, user_id: int, message_id: int, data: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        """Like press(), returning the whole queued Update."""
        with self.state.cond:
            sender = self.state.user(user_id)
            chat = chat_id if chat_id is not None else user_id
            message = self.state.message(chat, message_id)
            if message is None or not has_callback_button(message, data):
                raise EmulatorError(
                    f"no button with callback_data {data!r} on message {message_id} in chat {chat}"
                )
            query_id = self.state.new_callback_id()
            instance = str(int(hashlib.sha1(f"{chat}".encode()).hexdigest()[:15], 16))
            query = {
                "id": query_id,
                "from": sender,
                "message": message,
                "chat_instance": instance,
                "data": data,
            }
            self.state.callbacks[query_id] = {
                "query": copy.deepcopy(query),
                "answer": None,
                "at": time.time(),
            }
            return self.state.push_update("callback_query", query)


def _result_body(result: Any) -> dict[str, Any]:
    if isinstance(result, DescribedResult):
        return {"result": result.result, "description": result.description}
    return {"result": result}


def _command_entities(text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
        }
        for m in _COMMAND.finditer(text)
    ]
