"""`bitten demo`: a bounded replay of real candles through every real handler and local server."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bitten import logs
from bitten.config import Settings
from bitten.local.demo import game
from bitten.local.demo.night import busiest_night
from bitten.local.demo.summary import failure, summarize
from bitten.local.demo.traders import SimTrader, act_on_alert, roster

log = logs.get("demo")


def run_demo(
    settings: Settings, traders: int = 24, hours: float = 8.0, start: datetime | None = None
) -> dict[str, int]:
    """Replay, print progress to stderr, return the summary counts."""
    from bitten.adapters.clock import VirtualClock
    from bitten.adapters.market_data import load_market
    from bitten.local.api_server import ApiServer
    from bitten.local.platform import LocalPlatform
    from bitten.local.stack import LocalStack

    candles, source = load_market(settings.market_data_source(), settings.pair_list() or None)
    begin = start or busiest_night(candles, hours)
    clock = VirtualClock(begin)
    log.info("demo: %s, replay %s + %sh", source, begin.isoformat(), hours)
    own_port = settings.model_copy(update={"api_port": 0})  # never the port `bitten run` uses
    stack = LocalStack(own_port, clock, candles, database="bitten_demo")
    live = stack.start()
    platform = LocalPlatform.build(live, clock)
    api = ApiServer(platform.api, live.api_host, live.api_port)
    try:
        api_url = api.start()
        return _replay(stack, platform, api_url, roster(traders), begin + timedelta(hours=hours))
    finally:
        api.stop()
        stack.stop()


def _replay(
    stack: Any, platform: Any, api_url: str, people: list[SimTrader], end: datetime
) -> dict[str, int]:
    emulator, sqs, clock = stack.telegram, stack.aws.client("sqs"), platform.clock
    set_webhook(stack, api_url)
    _onboard(stack, platform, people)
    game.enlist_plans_and_zones(platform, emulator, people, clock.now(), end)  # issue 12
    fires_queue = _queue(platform, "fires")
    stack.paper.inject_fault(
        "drop_after_execute", count=1, delay=0
    )  # one lost broker answer to reconcile
    attempts = 0
    while clock.now() < end:
        platform.run_schedule("signal_scan")
        platform.drain_queues(sqs)
        attempts += _traders_act(people, emulator, api_url, fires_queue)
        emulator.flush()
        platform.drain_queues(sqs)
        platform.run_schedule("result_sync")
        for _ in range(2):  # issue 12: the scheduler delivering twice writes nothing twice
            platform.run_schedule("game_tick")
        clock.advance(timedelta(minutes=1))
    for _ in range(3):  # let unanswered missions expire and late results arrive
        clock.advance(timedelta(minutes=5))
        platform.run_schedule("result_sync")
        platform.run_schedule("game_tick")
        platform.drain_queues(sqs)
        _traders_act(people, emulator, api_url, fires_queue)  # read the last drill reports
        emulator.flush()
    platform.run_schedule("game_tick")  # relay what the last debriefs unlocked
    platform.drain_queues(sqs)
    return summarize(stack, platform, fire_taps=attempts)


def _queue(platform: Any, logical: str) -> Any:
    from bitten import bootstrap

    return bootstrap.queue(platform.settings, logical)


def set_webhook(stack: Any, api_url: str) -> None:
    s = stack.settings
    httpx.post(
        f"{s.telegram_api_url}{s.telegram_bot_token}/setWebhook",
        timeout=10,
        json={"url": f"{api_url}/telegram/webhook", "secret_token": s.telegram_webhook_secret},
    )


def _onboard(stack: Any, platform: Any, people: list[SimTrader]) -> None:
    """Each trader says /start (demo account); paid tiers get upgraded and /connect a live one."""
    from bitten.domain.tiers import Tier

    emulator = stack.telegram
    for t in people[:-1]:
        emulator.user(t.user_id, t.name, t.name)
        emulator.send_text(t.user_id, "/start")
    emulator.flush()
    game.enlist_recruit(emulator, people[0], people[-1])  # issue 12: the last joins by referral
    for t in people:
        if t.tier is Tier.PRESS_PASS:
            continue
        account = stack.paper.book.add_account(t.balance, demo=False, name=t.name)
        _set_tier(platform, t.user_id, t.tier)
        emulator.send_text(t.user_id, f"/connect {account.login}")
    emulator.flush()


def _set_tier(platform: Any, user_id: int, tier: Any) -> None:
    """The operator's upgrade (billing is out of scope for the demo)."""
    from bitten import bootstrap

    with bootstrap.uow(platform.settings)() as repos:
        trader = repos.traders.by_telegram(user_id)
        if trader is None:
            raise LookupError(f"demo trader {user_id} never registered")
        repos.traders.set_tier(trader.id, tier)


def _traders_act(people: list[SimTrader], emulator: Any, api_url: str, fires_queue: Any) -> int:
    taps = 0
    for t in people:  # alerts come with their buttons: a message read once is never re-read
        for message in emulator.messages_in(t.user_id, after=t.seen):
            t.seen = max(t.seen, message["message_id"])
            if message["message_id"] not in t.handled and message.get("reply_markup"):
                taps += act_on_alert(t, message, emulator, api_url, fires_queue)
    return taps


def print_summary(summary: dict[str, int]) -> int:
    """The JSON line (always the last on stdout); a failed run says why on stderr and exits 1."""
    print(json.dumps(summary), flush=True)
    why = failure(summary)
    if why is None:
        return 0
    detail = (
        " (the 'demo detail' log line names them)" if summary["lost"] or summary["errors"] else ""
    )
    print(f"demo failed: {why}{detail}", file=sys.stderr, flush=True)
    return 1


def parse_start(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None
