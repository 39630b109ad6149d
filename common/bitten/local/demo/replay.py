"""`bitten demo`: a bounded replay of real candles through every real handler and local server."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bitten import logs
from bitten.config import Settings
from bitten.local.demo import faults, game
from bitten.local.demo.night import busiest_night
from bitten.local.demo.summary import failure, summarize
from bitten.local.demo.traders import SimTrader, act_on_alert, roster

log = logs.get("demo")


def run_demo(
    settings: Settings, traders: int = 24, hours: float = 8.0, start: datetime | None = None
) -> dict[str, int]:
    """Replay, print progress to stderr, return the summary counts."""
    from bitten.adapters.clock import ReplayClock
    from bitten.adapters.market_data import load_market
    from bitten.local.api_server import ApiServer
    from bitten.local.platform import LocalPlatform
    from bitten.local.stack import LocalStack

    candles, source = load_market(settings.market_data_source(), settings.pair_list() or None)
    begin = start or busiest_night(candles, hours)
    clock = ReplayClock(begin)
    log.info("demo: %s, replay %s + %sh", source, begin.isoformat(), hours)
    own_port = settings.model_copy(update={"api_port": 0})  # never the port `bitten run` uses
    stack = LocalStack(own_port, clock, candles, database="bitten_demo")
    live = stack.start()
    platform = LocalPlatform.build(live, clock)
    api = ApiServer(platform.api, live.api_host, live.api_port)
    try:
        api_url = api.start()
        stack.send_broker_events(api_url)
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
    faults.start(stack)
    attempts = 0
    script = faults.Script(offline=people[2 % len(people)], withdrawing=people[1 % len(people)])
    while clock.now() < end:
        platform.run_schedule("signal_scan")
        platform.drain_queues(sqs)
        faults.before_traders_act(script, stack, platform, people, clock.now())
        attempts += _traders_act(people, emulator, api_url, fires_queue)
        emulator.flush()
        platform.drain_queues(sqs)
        platform.run_schedule("result_sync")
        platform.run_schedule("trader_upkeep")
        for _ in range(2):  # issue 12: the scheduler delivering twice writes nothing twice
            platform.run_schedule("game_tick")
        clock.advance(timedelta(minutes=1))
    for _ in range(3):  # let unanswered missions expire and late results arrive
        clock.advance(timedelta(minutes=5))
        platform.run_schedule("result_sync")
        platform.run_schedule("trader_upkeep")
        platform.run_schedule("game_tick")
        platform.drain_queues(sqs)
        _traders_act(people, emulator, api_url, fires_queue)  # read the last drill reports
        emulator.flush()
    platform.run_schedule("game_tick")  # relay what the last debriefs unlocked
    platform.drain_queues(sqs)
    if stack.events is not None:
        stack.events.flush()
    summary = summarize(stack, platform, fire_taps=attempts)
    print(_operator_report(platform), flush=True)  # issue 13: the Throne's reads, as text
    return summary


def _operator_report(platform: Any) -> str:
    from bitten import bootstrap
    from bitten.services.throne.report import operator_report

    return operator_report(bootstrap.build_throne_deps(platform.settings, clock=platform.clock))


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
    """Each trader says /start (demo account); paid tiers buy their tier in Stars and /connect
    a live account with its investor password. Step by step for everyone, so no chat gets
    more than one answer a second (the emulator holds the bot to Telegram's limits)."""
    from bitten.domain.tiers import Tier

    emulator = stack.telegram
    for t in people[:-1]:
        emulator.user(t.user_id, t.name, t.name)
        emulator.send_text(t.user_id, "/start")
    emulator.flush()
    game.enlist_recruit(emulator, people[0], people[-1])  # issue 12: the last joins by referral
    payers = [t for t in people if t.tier is not Tier.PRESS_PASS]
    for t in payers:
        emulator.send_text(t.user_id, "/tier")
    emulator.flush()
    for t in payers:
        _press_last(emulator, t.user_id, f"buy:{t.tier.value}")
    emulator.flush()
    for t in payers:
        invoice = next(m for m in reversed(emulator.messages_in(t.user_id)) if "invoice" in m)
        paid = emulator.pay(t.user_id, invoice["message_id"])
        if not paid["ok"]:
            raise RuntimeError(f"demo trader {t.name} could not pay: {paid['error']}")
    emulator.flush()
    for t in payers:
        password = f"inv-{t.user_id}"
        account = stack.paper.book.add_account(
            t.balance, demo=False, name=t.name, investor_password=password
        )
        emulator.send_text(t.user_id, f"/connect {account.login} {password}")
    emulator.flush()


def _press_last(emulator: Any, user_id: int, data: str) -> None:
    """Tap the button carrying `data` on the newest message that has it."""
    for message in reversed(emulator.messages_in(user_id)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if any(b.get("callback_data") == data for row in rows for b in row):
            emulator.press(user_id, message["message_id"], data)
            return
    raise LookupError(f"no {data} button in chat {user_id}")


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
