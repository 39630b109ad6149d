"""`bitten run`: the whole platform on the local stack until Ctrl-C, replaying candles in time."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bitten.config import Settings

LOCAL_OPERATOR = 1  # the emulator's operator when OPERATOR_TELEGRAM_IDS names none

if TYPE_CHECKING:
    from bitten.strategy.candles import Candles


def run_forever(settings: Settings, speed: float = 60.0, start: str | None = None) -> int:
    from bitten.adapters.clock import ReplayClock
    from bitten.adapters.market_data import load_market
    from bitten.local.api_server import ApiServer
    from bitten.local.demo.night import busiest_night
    from bitten.local.demo.replay import parse_start
    from bitten.local.platform import LocalPlatform
    from bitten.local.stack import LocalStack

    candles, source = load_market(settings.market_data_source(), settings.pair_list() or None)
    clock = ReplayClock(parse_start(start) or busiest_night(candles, 8))
    stack = LocalStack(_with_local_operator(settings), clock, candles)
    live = stack.start()
    platform = LocalPlatform.build(live, clock)
    api = ApiServer(platform.api, live.api_host, live.api_port)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # stop between ticks, never mid-transaction
        signal.signal(sig, lambda *_: stop.set())
    try:
        api_url = api.start()
        stack.send_broker_events(api_url)
        _connect_telegram(stack, platform, api_url, stop)
        _banner(stack, api_url, source, clock)
        _loop(platform, stack, speed, stop, _end_of(candles))
        print("stopping", flush=True)
    finally:
        stop.set()
        api.stop()
        stack.stop()
    return 0


def _connect_telegram(stack: Any, platform: Any, api_url: str, stop: threading.Event) -> None:
    """Emulator: webhook into our API. Real token: long polling into the same update handler.
    Either way the command menu is published first (setMyCommands)."""
    from bitten import bootstrap
    from bitten.services.bot.commands import publish_menu

    publish_menu(bootstrap.notifier(platform.settings))
    if stack.telegram is not None:
        from bitten.local.demo.replay import set_webhook

        set_webhook(stack, api_url)
        return
    from bitten.adapters.telegram_polling import poll_updates
    from bitten.services.bot.updates import handle_update

    s = platform.settings
    deps = bootstrap.build_bot_deps(s, clock=platform.clock)
    base = s.telegram_api_url or "https://api.telegram.org/bot"
    threading.Thread(
        target=poll_updates,
        daemon=True,
        name="telegram-polling",
        args=(s.telegram_bot_token, base, lambda u: handle_update(u, deps), stop),
    ).start()


def _with_local_operator(settings: Settings) -> Settings:
    """On the emulator with no operators named, Telegram user 1 is the Throne's operator."""
    if settings.telegram_bot_token or settings.operator_telegram_ids:
        return settings
    return settings.model_copy(update={"operator_telegram_ids": str(LOCAL_OPERATOR)})


def _banner(stack: Any, api_url: str, source: str, clock: Any) -> None:
    print(f"BITTEN local stack ({source}), replay from {clock.now().isoformat()}")
    print(f"  API + HUD      {api_url}/api/health   {api_url}/hud")
    print(f"  paper broker   {stack.settings.forexvps_url}")
    if stack.telegram is not None:
        print(f"  telegram emu   {stack.telegram.base_url}  (see docs/telegram-emulator.md)")
    ids = ", ".join(map(str, sorted(stack.settings.operator_ids()))) or "none"
    print(f"  throne         {api_url}/throne  (operator id {ids}: /start, then /throne)")
    print(f"  sqs/dynamodb   {stack.settings.aws_endpoint_url}")
    print(f"  postgres       {stack.settings.database_url}")
    print("Ctrl-C stops.", flush=True)


def _end_of(candles: dict[str, Candles]) -> datetime:
    """When the last bar of the replayed data closes."""
    return datetime.fromtimestamp(max(int(c.time[-1]) for c in candles.values()) + 60, UTC)


def _loop(
    platform: Any, stack: Any, speed: float, stop: threading.Event, data_ends: datetime
) -> None:
    sqs = stack.aws.client("sqs")
    next_minute, told_end = platform.clock.now(), False
    while not stop.is_set():
        if platform.clock.now() >= next_minute:
            platform.run_schedule("signal_scan")
            platform.run_schedule("result_sync")
            platform.run_schedule("trader_upkeep")
            platform.run_schedule("game_tick")
            next_minute += timedelta(minutes=1)
        if not told_end and platform.clock.now() >= data_ends:
            told_end = True
            print(
                f"replay reached the end of its market data ({data_ends:%Y-%m-%d %H:%M} UTC): "
                "no new signals from here; Ctrl-C and run again to replay it",
                flush=True,
            )
        platform.drain_queues(sqs, rounds=1)
        stop.wait(0.25)
        platform.clock.advance(timedelta(seconds=0.25 * speed))
