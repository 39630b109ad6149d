"""Every function of the platform wired to one stack and one clock, as Lambda would run them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bitten import bootstrap
from bitten.adapters.sqs import queue_url
from bitten.config import Settings
from bitten.handlers import functions, game
from bitten.handlers.runtime import invoked
from bitten.local.aws.event_source import arn_of, drain, schedule_event

QUEUE_FUNCTIONS = {
    "signals": "mission_fanout",
    "alerts": "alert_dispatch",
    "fires": "fire_execution",
    "game": "game_dispatch",  # issue 12
}


@dataclass
class LocalPlatform:
    settings: Settings
    clock: Any
    handlers: dict[str, Any]
    api: Any
    failures: int = 0
    queues: dict[str, tuple[str, str]] = field(default_factory=dict)  # logical -> (url, arn)

    @classmethod
    def build(cls, settings: Settings, clock: Any) -> LocalPlatform:
        """The same bootstrap builders production uses; only the clock is swapped (the scan
        reads its candles from the paper broker, over HTTP, like production reads the terminal)."""
        from bitten.api.app import create_app

        shared = {"clock": clock}
        handlers = {
            "signal_scan": functions.signal_scan(bootstrap.build_scan_deps(settings, **shared)),
            "mission_fanout": functions.mission_fanout(
                bootstrap.build_fanout_deps(settings, **shared)
            ),
            "alert_dispatch": functions.alert_dispatch(
                bootstrap.build_alert_deps(settings, **shared)
            ),
            "fire_execution": functions.fire_execution(
                bootstrap.build_fire_exec_deps(settings, **shared)
            ),
            "result_sync": functions.result_sync(bootstrap.build_sync_deps(settings, **shared)),
            "trader_upkeep": functions.trader_upkeep(
                bootstrap.build_upkeep_deps(settings, **shared)
            ),
            "game_tick": game.game_tick(bootstrap.build_game_tick_deps(settings, **shared)),
            "game_dispatch": game.game_dispatch(
                bootstrap.build_game_dispatch_deps(settings, **shared)
            ),
        }
        from bitten.adapters.clock import SystemClock

        wall = SystemClock()  # sessions last real minutes while the candles replay fast
        api = create_app(lambda: bootstrap.build_api_deps(settings, **shared, session_clock=wall))
        logged = {name: invoked(h, name) for name, h in handlers.items()}  # function, request id
        return cls(settings, clock, logged, api)

    def run_schedule(self, name: str) -> Any:
        """Invoke a scheduled function with an EventBridge event at the virtual time."""
        return self.handlers[name](schedule_event(f"bitten-{name}", self.clock.now()), None)

    def drain_queues(self, sqs: Any, rounds: int = 3) -> dict[str, int]:
        """Feed each queue to its function until all are empty (messages spawn messages)."""
        handled = dict.fromkeys(QUEUE_FUNCTIONS.values(), 0)
        for _ in range(rounds):
            moved = 0
            for logical, fn in QUEUE_FUNCTIONS.items():
                url, arn = self._queue(sqs, logical)
                stats = drain(sqs, url, self.handlers[fn], function_name=fn, queue_arn=arn)
                handled[fn] += stats.received
                self.failures += stats.failed + stats.handler_errors
                moved += stats.received
            if not moved:
                break
        return handled

    def _queue(self, sqs: Any, logical: str) -> tuple[str, str]:
        """(url, arn) of a queue, asked once: two calls less per queue per drain."""
        if logical not in self.queues:
            url = queue_url(sqs, self.settings.queue_name(logical))
            self.queues[logical] = (url, arn_of(sqs, url))
        return self.queues[logical]
