"""GET /api/ops/throne: the flow of a window, hop latencies, terminals, Telegram, VENOM drift."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bitten import logs, metrics
from bitten.domain.drift import drift_of
from bitten.domain.throne import (
    JOURNEY,
    WINDOWS,
    Drift,
    Flow,
    HopLatency,
    LiveResult,
    Percentiles,
    TelegramDelivery,
    Terminal,
    Window,
    flow_of,
    terminal_of,
)
from bitten.ports import Repositories
from bitten.services.throne.deps import ThroneDeps

log = logs.get("throne")
HOPS = [*zip(JOURNEY, JOURNEY[1:], strict=False), (JOURNEY[0], JOURNEY[-1])]


class ThroneView(BaseModel):
    at: datetime
    flow: Flow
    latencies: list[HopLatency]
    terminals: list[Terminal]
    telegram: TelegramDelivery
    drift: list[Drift]


def throne_view(window: Window, deps: ThroneDeps) -> ThroneView:
    """Everything the Throne's panels show, read in one transaction."""
    now = deps.clock.now()
    since = now - WINDOWS[window]
    with deps.uow() as repos:
        reads = repos.throne
        return ThroneView(
            at=now,
            flow=flow_of(window, since, now, reads.flow_counts(since, now)),
            latencies=every_hop(reads.hop_latencies(since, now)),
            terminals=[
                terminal_of(a, now, deps.terminal_max_age_s)
                for a in reads.accounts(deps.accounts_shown)
            ],
            telegram=reads.telegram(since, now),
            drift=drift(repos, deps),
        )


def every_hop(measured: list[HopLatency]) -> list[HopLatency]:
    """One row per hop of the journey (and the whole of it), empty where nothing passed."""
    found = {(h.from_hop, h.to_hop): h for h in measured}
    empty = Percentiles()
    return [found.get((a, b)) or HopLatency(from_hop=a, to_hop=b, seconds=empty) for a, b in HOPS]


def drift(repos: Repositories, deps: ThroneDeps) -> list[Drift]:
    """Every setup with a reference or live trades: live win rate and PF against the range."""
    results = {r.setup: r for r in repos.throne.live_results()}
    references = {r.setup: r for r in deps.references}
    return [
        drift_of(
            results.get(name) or LiveResult(setup=name, trades=0, wins=0),
            references.get(name),
            deps.drift_min_trades,
        )
        for name in sorted(results.keys() | references.keys())
    ]


def report_drift(deps: ThroneDeps) -> int:
    """One DriftWarnings metric (and a WARNING line) per setup outside its backtest's range."""
    with deps.uow() as repos:
        drifting = [d for d in drift(repos, deps) if d.status == "drift"]
    for d in drifting:
        metrics.drift_warning(d.setup)
        log.warning("VENOM %s drifted from its backtest: %s", d.setup, d.note)
    return len(drifting)
