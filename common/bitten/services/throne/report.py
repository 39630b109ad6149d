"""The operator report: a few lines from the same reads as the Throne (flow, hops, drift)."""

from __future__ import annotations

from bitten.domain.throne import Drift, Flow, HopLatency, Percentiles, Window
from bitten.services.throne.deps import ThroneDeps
from bitten.services.throne.view import throne_view


def operator_report(deps: ThroneDeps, window: Window = "day") -> str:
    """Flow counts, per-hop p50/p95/p99 and the drift status of each setup, as text."""
    view = throne_view(window, deps)
    lines = [f"BITTEN operator report: last {window}, to {view.at:%Y-%m-%d %H:%M:%S} UTC"]
    lines += flow_lines(view.flow)
    lines.append("latency per hop (seconds p50 / p95 / p99, samples):")
    lines += [hop_line(h) for h in view.latencies]
    lines.append("VENOM live against its backtest:")
    lines += [drift_line(d) for d in view.drift] or ["  no setup traded or referenced"]
    return "\n".join(lines)


def flow_lines(f: Flow) -> list[str]:
    setups = ", ".join(f"{name} {n}" for name, n in f.signals_by_setup.items()) or "none"
    rejects = ", ".join(f"{why} {n}" for why, n in f.rejects.items()) or "none"
    return [
        f"flow: {f.signals} signals ({setups}), {f.missions} missions, {f.alerts_sent} alerts"
        f" (lag from candle close {seconds(f.alert_lag)}), {f.fires} fires, {f.fills} fills,"
        f" {f.closes} closes",
        f"      rejects: {rejects}; {f.reconciliations} reconciliations,"
        f" {f.expiries} expiries, {f.skipped} traders skipped at fan-out",
    ]


def seconds(p: Percentiles) -> str:
    if not p.count:
        return "-"
    return f"p50 {p.p50:.3f}s, p95 {p.p95:.3f}s"


def hop_line(h: HopLatency) -> str:
    s = h.seconds
    if not s.count:
        return f"  {h.from_hop} -> {h.to_hop}: no samples"
    return f"  {h.from_hop} -> {h.to_hop}: {s.p50:.3f} / {s.p95:.3f} / {s.p99:.3f} (n={s.count})"


def drift_line(d: Drift) -> str:
    live = f"{d.trades} trades"
    if d.trades:
        pf = "-" if d.profit_factor is None else f"{d.profit_factor}"
        live += f", win {d.win_rate}%, PF {pf}"
    ref = d.reference
    backtest = (
        f"; backtest win {ref.win_rate[0]}-{ref.win_rate[1]}%, PF "
        f"{ref.profit_factor[0]}-{ref.profit_factor[1]} over {ref.runs} runs"
        if ref
        else ""
    )
    return f"  {d.setup}: {d.status.upper()} ({d.note}): {live}{backtest}"
