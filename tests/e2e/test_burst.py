"""A burst on the local API: one mission fired by 50 HUD requests and 20 presses at once."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

import psycopg
import pytest

from bitten import bootstrap
from bitten.adapters.clock import VirtualClock
from bitten.api.app import create_app
from bitten.domain.fire import client_id_for
from bitten.local.api_server import ApiServer
from bitten.local.burst import Call, all_at_once, status
from bitten.local.demo.replay import set_webhook
from bitten.local.demo.traders import fire_button, hud_session
from bitten.local.platform import LocalPlatform
from bitten.local.stack import LocalStack
from factories import T0, World, add_mission, add_trader, market

pytestmark = pytest.mark.e2e

HUD_FIRES, BUTTON_PRESSES, PLAIN_CONNECTIONS = 50, 20, 100
ACCEPTED = "FIRE received: sending your order."
REFUSED = "Already fired: one order per mission."


@dataclass
class Local:
    """`bitten run` in-process: the stack, its functions and the API on real HTTP."""

    stack: LocalStack
    platform: LocalPlatform
    api_url: str
    world: World  # the factories, writing through the stack's own Postgres and paper book


@pytest.fixture
def local(settings) -> Iterator[Local]:
    clock = VirtualClock(T0)
    bare = settings.model_copy(update={"telegram_bot_token": None, "bitten_stage": "burst"})
    stack = LocalStack(bare, clock, market())
    live = stack.start()
    platform = LocalPlatform.build(live, clock)
    api = ApiServer(platform.api)
    try:
        api_url = api.start()
        set_webhook(stack, api_url)
        yield Local(stack, platform, api_url, World(live, clock, stack.paper))
    finally:
        api.stop()
        stack.stop()


@dataclass
class Alerted:
    """An open mission whose personal alert (FIRE and HUD buttons) is in its trader's chat."""

    mission_id: str
    telegram_id: int
    message_id: int
    fire_data: str
    hud_token: str


def alerted_mission(local: Local) -> Alerted:
    trader = add_trader(local.world)
    local.stack.telegram.user(trader.telegram_id, "Ana")
    mission = add_mission(local.world, trader)
    bootstrap.queue(local.platform.settings, "alerts").send({"mission_id": str(mission.id)})
    local.platform.drain_queues(local.stack.aws.client("sqs"))  # the real alert_dispatch
    (alert,) = local.stack.telegram.messages_in(trader.telegram_id)
    fire, hud = fire_button(alert)
    assert fire and hud, alert
    token = hud_session(
        local.stack.telegram, trader.telegram_id, alert["message_id"], local.api_url
    )
    return Alerted(str(mission.id), trader.telegram_id, alert["message_id"], fire, token)


class PeakConnections(threading.Thread):
    """Samples the database's server connections while in use: `added` is the peak growth."""

    SQL = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.conn = psycopg.connect(url, autocommit=True)
        self.baseline = self._count()
        self.added, self.done = 0, threading.Event()

    def _count(self) -> int:
        return int(self.conn.execute(self.SQL).fetchone()[0])

    def run(self) -> None:
        with self.conn:
            while not self.done.wait(0.005):
                self.added = max(self.added, self._count() - self.baseline)

    def __enter__(self) -> PeakConnections:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()


def test_a_burst_on_one_mission_fires_it_once_and_every_request_gets_an_answer(local):
    # Given a trader's open mission with its alert in their Telegram chat
    alerted, emulator = alerted_mission(local), local.stack.telegram
    token, mission_id = alerted.hud_token, alerted.mission_id
    hud = Call(  # what the HUD page sends
        "POST",
        f"{local.api_url}/api/missions/{mission_id}/fire",
        {"Authorization": f"Bearer {token}", "Idempotency-Key": f"hud:{mission_id}"},
    )
    press = Call(  # the trader's thumb, through the emulator, which calls our webhook
        "POST",
        f"{emulator.base_url}/emulator/users/{alerted.telegram_id}/press",
        json={"message_id": alerted.message_id, "data": alerted.fire_data},
    )
    # When the HUD fires 50 times and FIRE is pressed 20 times, all at once
    with PeakConnections(local.platform.settings.database_url) as postgres:
        results = all_at_once([hud] * HUD_FIRES + [press] * BUTTON_PRESSES)
        assert emulator.flush(timeout=60), "webhook deliveries still pending"
    statuses = Counter(status(r) for r in results[:HUD_FIRES])
    pressed = [r.json()["result"]["callback_query_id"] for r in results[HUD_FIRES:]]
    answers = Counter((emulator.answer_for(q) or {}).get("text") for q in pressed)
    # Then every HTTP request got an answer and exactly one FIRE was accepted
    assert set(statuses) <= {202, 409}, statuses
    assert statuses[202] + answers[ACCEPTED] == 1, (statuses, answers)
    assert answers[ACCEPTED] + answers[REFUSED] == BUTTON_PRESSES, answers
    # And the platform never opened more Postgres connections than its pool holds
    assert postgres.added <= local.platform.settings.db_pool_size, postgres.added
    # When the fires queue is drained through the real fire_execution handler
    local.platform.drain_queues(local.stack.aws.client("sqs"))
    # Then the broker received exactly one order, for this mission
    assert [o.client_id for o in local.stack.paper.book.orders()] == [
        client_id_for(UUID(mission_id))
    ]
    assert local.world.rows("SELECT state FROM fires") == [{"state": "filled"}]


async def connect_then_serve(server: ApiServer, count: int) -> tuple[int, Counter[str]]:
    """Open `count` connections before `server` accepts any, then start it and send a request
    on each: (connections the kernel held, status codes answered)."""
    address = urlsplit(server.base_url)
    opening = [
        asyncio.create_task(asyncio.open_connection(address.hostname, address.port))
        for _ in range(count)
    ]
    # A connection the backlog holds completes at once; a dropped SYN is only retried (1, 3, 7 s)
    # and keeps being dropped while nothing accepts: waiting longer would change nothing.
    opened, dropped = await asyncio.wait(opening, timeout=10)
    for task in dropped:
        task.cancel()
    streams = [task.result() for task in opened if task.exception() is None]
    server.start()
    replies = await asyncio.gather(*(_get_hud(reader, writer) for reader, writer in streams))
    return len(streams), Counter(replies)


async def _get_hud(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
    """HTTP/1.1 GET /hud on an open connection: the status code of the answer."""
    writer.write(b"GET /hud HTTP/1.1\r\nHost: bitten\r\nConnection: close\r\n\r\n")
    status_line = await asyncio.wait_for(reader.readline(), timeout=30)
    writer.close()
    return status_line.decode().split(" ")[1] if status_line else "no answer"


def test_100_connections_opened_before_the_api_accepts_are_held_and_answered(world):
    # Given the API listening on its port, its accept loop not started (as when it is busy)
    server = ApiServer(create_app(world.api_deps))
    try:
        # When 100 browsers connect at once, and only then does the server accept connections
        held, answers = asyncio.run(connect_then_serve(server, PLAIN_CONNECTIONS))
    finally:
        server.stop()
    # Then the kernel held every connection (none dropped by a full backlog) and each was served
    assert held == PLAIN_CONNECTIONS
    assert answers == Counter({"200": PLAIN_CONNECTIONS})
