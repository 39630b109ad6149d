"""Composition root: build_<use case>_deps(settings, **overrides). Tests override, never patch."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from functools import cache, partial
from typing import TYPE_CHECKING, Any, TypeVar

from bitten.domain.broker import Heartbeat
from bitten.ports import (
    Clock,
    FireLock,
    MarketFeed,
    MessageQueue,
    Notifier,
    SessionTokens,
)
from bitten.services.deps import (
    AlertDeps,
    ApiDeps,
    BotDeps,
    CallbackDeps,
    FanoutDeps,
    FireExecDeps,
    FireLimits,
    FireRequestDeps,
    OpsDeps,
    RetryPolicy,
    ScanDeps,
    SyncDeps,
    UpkeepDeps,
)
from bitten.services.throne.deps import ThroneDeps

if TYPE_CHECKING:  # settings are loaded on the first invocation, not at import
    from bitten.adapters.forexvps import ForexVpsBroker
    from bitten.adapters.postgres.log_sink import PostgresLogSink
    from bitten.adapters.postgres.uow import PostgresUnitOfWork
    from bitten.config import Settings
    from bitten.services.game.deps import GameDispatchDeps, GameTickDeps

T = TypeVar("T")


class NotConfigured(RuntimeError):
    """A required outside system has no address (set the env variable, or use the local stack)."""


def _build(cls: Callable[..., T], factories: dict[str, Callable[[], Any]], overrides: dict) -> T:
    """Only build what was not overridden: a test's fake never triggers a real connection."""
    return cls(**{k: overrides[k] if k in overrides else make() for k, make in factories.items()})


@cache
def _uow(url: str, pool_size: int) -> PostgresUnitOfWork:
    """One pool per process and database: every use case and request thread shares it."""
    from bitten.adapters.postgres.db import Database
    from bitten.adapters.postgres.uow import PostgresUnitOfWork

    return PostgresUnitOfWork(Database(url, pool_size))


def uow(s: Settings) -> PostgresUnitOfWork:
    if not s.database_url:
        raise NotConfigured(
            "DATABASE_URL is not set (run through `bitten run` for the local stack)"
        )
    return _uow(s.database_url, s.db_pool_size)


def install_log_sink(s: Settings) -> PostgresLogSink | None:
    """Every bitten log line also to Postgres, in batches, when a database is configured."""
    if not (s.database_url and s.log_to_database):
        return None
    from bitten import logs
    from bitten.adapters.postgres.log_sink import PostgresLogSink, connector

    sink = PostgresLogSink(connector(s.database_url), capacity=s.log_buffer_lines).start()
    logs.attach(sink)
    return sink


def remove_log_sink(sink: PostgresLogSink | None) -> None:
    """Detach and close (its last lines written when the database answers)."""
    if sink is not None:
        from bitten import logs

        logs.detach(sink)
        sink.close()


def clock(s: Settings) -> Clock:
    from bitten.adapters.clock import SystemClock

    return SystemClock()


def broker(s: Settings) -> ForexVpsBroker:
    from bitten.adapters.forexvps import ForexVpsBroker

    if not s.forexvps_url:
        raise NotConfigured("FOREXVPS_URL is not set (the local stack starts the paper broker)")
    return ForexVpsBroker(s.forexvps_url, s.forexvps_token)


def notifier(s: Settings) -> Notifier:
    """python-telegram-bot, paced to Telegram's limits by lanes shared in Postgres."""
    from bitten.adapters.telegram import PtbNotifier
    from bitten.adapters.telegram_paced import PacedNotifier

    if not s.telegram_bot_token:
        raise NotConfigured("TELEGRAM_BOT_TOKEN is not set (the local stack starts an emulator)")
    ptb = PtbNotifier(s.telegram_bot_token, s.telegram_api_url)
    return PacedNotifier(ptb, _pacer(uow(s).db.url))


@cache
def _pacer(url: str) -> Any:
    """One pacer (its own connection) per process and database."""
    from bitten.adapters.postgres.pacer import PostgresSendPacer

    return PostgresSendPacer(url)


@cache
def _aws_client(
    service: str, endpoint: str | None, region: str, key: str | None, secret: str | None
) -> Any:
    import boto3

    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )


def aws_client(s: Settings, service: str) -> Any:
    return _aws_client(
        service,
        s.aws_endpoint_url,
        s.aws_default_region,
        s.aws_access_key_id,
        s.aws_secret_access_key,
    )


def queue(s: Settings, logical: str) -> MessageQueue:
    from bitten.adapters.sqs import SqsMessageQueue, queue_url

    client = aws_client(s, "sqs")
    url = queue_url(client, s.queue_name(logical))
    return SqsMessageQueue(client, url)


def fire_lock(s: Settings, clock: Clock) -> FireLock:
    """The lock stamps claims on the platform clock (virtual in replays), not wall time."""
    from bitten.adapters.dynamodb import DynamoDbFireLock

    return DynamoDbFireLock(aws_client(s, "dynamodb"), s.fire_lock_table, clock)


def session_tokens(s: Settings) -> SessionTokens:
    from datetime import timedelta

    from bitten.adapters.hud_auth import JwtSessionTokens

    return JwtSessionTokens(s.jwt_secret, timedelta(minutes=s.hud_session_minutes))


def market_feed(s: Settings, pairs: list[str] | None = None) -> MarketFeed:
    """The broker terminal's closed M1 bars: the prices the trades will fill against."""
    from bitten.adapters.broker_feed import BrokerMarketFeed

    return BrokerMarketFeed(broker(s), pairs or s.pair_list() or None)


def scan_feed(s: Settings) -> MarketFeed:
    """Bars of the pairs VENOM trades (narrowed by BITTEN_PAIRS) that the broker quotes."""
    from bitten.strategy.universe import scan_pairs

    pairs = scan_pairs(s.pair_list())
    if not pairs:
        raise ValueError(f"BITTEN_PAIRS={s.bitten_pairs!r} names no pair VENOM trades")
    return market_feed(s, pairs)


def _core(s: Settings) -> dict[str, Callable[[], Any]]:
    """What every use case needs: storage and time."""
    return {"uow": lambda: uow(s), "clock": lambda: clock(s)}


def build_scan_deps(s: Settings, **overrides: Any) -> ScanDeps:
    from bitten.strategy import venom

    return _build(
        ScanDeps,
        {
            **_core(s),
            "feed": lambda: scan_feed(s),
            "signals_queue": lambda: queue(s, "signals"),
            "scanner": lambda: venom.scan,
            "lookback_bars": lambda: venom.LOOKBACK_BARS,
            "engine": lambda: f"VENOM-{venom.DEFAULT.profile.name}",
            "account_currency": lambda: s.account_currency,
        },
        overrides,
    )


def build_fanout_deps(s: Settings, **overrides: Any) -> FanoutDeps:
    return _build(
        FanoutDeps,
        {
            **_core(s),
            "broker": lambda: broker(s),
            "alerts_queue": lambda: queue(s, "alerts"),
            "risk_percent": lambda: s.risk_percent,
            "snapshot_max_age_s": lambda: s.snapshot_max_age,
        },
        overrides,
    )


def build_alert_deps(s: Settings, **overrides: Any) -> AlertDeps:
    return _build(
        AlertDeps,
        {
            **_core(s),
            "notifier": lambda: notifier(s),
            "group_chat_id": lambda: s.telegram_group_chat_id,
            "hud_base_url": lambda: s.public_api_url(),
            "paid_broadcast": lambda: s.telegram_paid_broadcast,
            "requeue": lambda: queue(s, "alerts"),
        },
        overrides,
    )


def build_fire_request_deps(s: Settings, **overrides: Any) -> FireRequestDeps:
    return _build(
        FireRequestDeps,
        {
            **_core(s),
            "fires_queue": lambda: queue(s, "fires"),
        },
        overrides,
    )


def build_fire_exec_deps(s: Settings, **overrides: Any) -> FireExecDeps:
    the_clock = overrides.get("clock") or clock(s)
    return _build(
        FireExecDeps,
        {
            **_core(s),
            "clock": lambda: the_clock,
            "broker": lambda: broker(s),
            "lock": lambda: fire_lock(s, the_clock),
            "notifier": lambda: notifier(s),
            "limits": lambda: fire_limits(s),
            "retry": lambda: RetryPolicy(s.fire_max_resends, s.fire_max_retry_wait),
            "sleep": lambda: time.sleep,
            "hud_base_url": lambda: s.public_api_url(),
        },
        overrides,
    )


def fire_limits(s: Settings) -> FireLimits:
    return FireLimits(s.risk_percent, s.terminal_heartbeat_max_age, s.price_runaway_share)


PLATFORM_QUEUES = ("signals", "alerts", "fires", "game")


def queue_admin(s: Settings) -> Any:
    """Every queue of the platform with its DLQ, by the names the functions use."""
    from bitten.adapters.sqs_admin import SqsQueueAdmin

    names = {q: (s.queue_name(q), s.queue_name(q, dead_letter=True)) for q in PLATFORM_QUEUES}
    return SqsQueueAdmin(aws_client(s, "sqs"), names)


def build_ops_deps(s: Settings, **overrides: Any) -> OpsDeps:
    """Nothing here reaches the network when built: `bitten ops pause-firing` needs Postgres
    only (queues resolve on first use; no Telegram token, no refunds)."""
    from bitten.adapters.sqs import LazyMessageQueue
    from bitten.strategy.setups import SETUPS

    return _build(
        OpsDeps,
        {
            **_core(s),
            "queues": lambda: queue_admin(s),
            "notices_queue": lambda: LazyMessageQueue(lambda: queue(s, "game")),
            "notifier": lambda: notifier(s) if s.telegram_bot_token else None,
            "tier_prices": lambda: s.tier_prices(),
            "setup_names": lambda: tuple(setup.name for setup in SETUPS),
            "hud_base_url": lambda: s.public_api_url(),
        },
        overrides,
    )


def build_callback_deps(s: Settings, **overrides: Any) -> CallbackDeps:
    return _build(
        CallbackDeps,
        {
            **_core(s),
            "notifier": lambda: notifier(s),
            "secret": lambda: s.broker_callback_secret,
            "max_age_s": lambda: 300,
            "hud_base_url": lambda: s.public_api_url(),
        },
        overrides,
    )


def build_sync_deps(s: Settings, **overrides: Any) -> SyncDeps:
    return _build(
        SyncDeps,
        {
            **_core(s),
            "broker": lambda: broker(s),
            "notifier": lambda: notifier(s),
            "unknown_grace_seconds": lambda: 120,
            "hud_base_url": lambda: s.public_api_url(),
            "throne": lambda: build_throne_deps(s, **_shared(overrides)),
        },
        overrides,
    )


def build_bot_deps(s: Settings, **overrides: Any) -> BotDeps:
    return _build(
        BotDeps,
        {
            **_core(s),
            "broker": lambda: broker(s),
            "notifier": lambda: notifier(s),
            "fires_queue": lambda: queue(s, "fires"),
            "demo_balance": lambda: Decimal(10_000),
            "hud_base_url": lambda: s.public_api_url(),
            "tier_prices": lambda: s.tier_prices(),
            "bot_username": lambda: s.telegram_bot_username,
            "operator_ids": lambda: s.operator_ids(),
            "ops": lambda: build_ops_deps(s, **_shared(overrides)),
        },
        overrides,
    )


def build_upkeep_deps(s: Settings, **overrides: Any) -> UpkeepDeps:
    return _build(
        UpkeepDeps,
        {
            **_core(s),
            "notifier": lambda: notifier(s),
            "hud_base_url": lambda: s.public_api_url(),
            "log_retention_days": lambda: s.log_retention_days,
        },
        overrides,
    )


def build_throne_deps(s: Settings, **overrides: Any) -> ThroneDeps:
    """The Throne's reads (and the operator report): storage, time, VENOM's backtest ranges."""
    from bitten.strategy.references import REFERENCES

    return _build(
        ThroneDeps,
        {
            **_core(s),
            "references": lambda: REFERENCES,
            "drift_min_trades": lambda: s.drift_min_trades,
            "terminal_max_age_s": lambda: float(s.snapshot_max_age),
            "accounts_shown": lambda: 100,
        },
        overrides,
    )


def health_checks(s: Settings) -> dict[str, Callable[[], object]]:
    """Named probes for GET /api/health?deep=1; each raises when its part is down."""
    return {
        "postgres": lambda: uow(s).db.ping(),
        **{f"queue_{q}": partial(_ping_queue, s, q) for q in PLATFORM_QUEUES},
        "fire_lock_table": lambda: fire_lock(s, clock(s)).ping(),
        "broker_heartbeat": lambda: _require_connected(broker(s).heartbeat()),
        "telegram": lambda: _telegram_ping(s),
    }


def _ping_queue(s: Settings, logical: str) -> None:
    queue(s, logical).ping()


def _telegram_ping(s: Settings) -> str:
    from bitten.adapters.telegram_health import telegram_ping

    if not s.telegram_bot_token:
        raise NotConfigured("TELEGRAM_BOT_TOKEN is not set (the local stack starts an emulator)")
    return telegram_ping(s.telegram_bot_token, s.telegram_api_url)


def _require_connected(beat: Heartbeat) -> None:
    if not beat.connected:
        raise RuntimeError("broker terminal reports disconnected")


def build_api_deps(s: Settings, **overrides: Any) -> ApiDeps:
    # one set of operator deps for the ops routes and the bot's operator commands
    ops = overrides.get("ops") or build_ops_deps(s, **_shared(overrides))
    return _build(
        ApiDeps,
        {
            **_core(s),
            "fire": lambda: build_fire_request_deps(s, **_shared(overrides)),
            "bot": lambda: build_bot_deps(s, **_shared(overrides), ops=ops),
            "tokens": lambda: session_tokens(s),
            "webhook_secret": lambda: s.telegram_webhook_secret,
            "bot_token": lambda: s.telegram_bot_token or "emulator-token",
            "ops": lambda: ops,
            "callbacks": lambda: build_callback_deps(s, **_shared(overrides)),
            "operator_ids": lambda: s.operator_ids(),
            "session_clock": lambda: None,  # sessions on `clock` (the local stack: the wall clock)
            "bars": lambda: overrides.get("broker") or broker(s),
            "throne": lambda: build_throne_deps(s, **_shared(overrides)),
            "public_url_configured": lambda: s.hud_base_url is not None,
            "health_checks": lambda: health_checks(s),
        },
        overrides,
    )


def _shared(overrides: dict) -> dict:
    """Overrides that nested deps share with the API (one clock, one broker...)."""
    keys = ("uow", "clock", "broker", "notifier", "fires_queue", "queues", "notices_queue")
    return {k: v for k, v in overrides.items() if k in keys}


# -- issue 12: the game's scheduled tick and its sender ------------------------------------------
def build_game_tick_deps(s: Settings, **overrides: Any) -> GameTickDeps:
    from bitten.services.game.deps import GameTickDeps

    return _build(
        GameTickDeps,
        {**_core(s), "notices_queue": lambda: queue(s, "game"), "chunk": lambda: 500},
        overrides,
    )


def build_game_dispatch_deps(s: Settings, **overrides: Any) -> GameDispatchDeps:
    """The notifier is the paced one every function shares (game notices go as broadcasts)."""
    from bitten.services.game.deps import GameDispatchDeps

    return _build(GameDispatchDeps, {**_core(s), "notifier": lambda: notifier(s)}, overrides)
