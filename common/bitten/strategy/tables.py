"""Plain-text tables in the freqtrade style for `bitten backtest`."""

from __future__ import annotations

import numpy as np

from bitten.strategy.backtest import PairResult
from bitten.strategy.report import Metrics, in_bucket, pooled_pips

HEAD = ("trades", "win %", "exp pips/trade", "tot pips", "PF", "max DD pips", "trades/day")


def _cells(name: str, m: Metrics, total: float) -> list[str]:
    pf = "inf" if m["profit_factor"] is None else f"{m['profit_factor']:.2f}"
    return [
        name,
        str(m["trades"]),
        f"{100 * float(m['win_rate'] or 0):.1f}",
        f"{float(m['expectancy_pips'] or 0):+.2f}",
        f"{total:+.1f}",
        pf,
        f"{m['max_drawdown_pips']:.1f}",
        f"{m['trades_per_day']:.2f}",
    ]


def render(title: str, rows: list[list[str]]) -> str:
    """A boxed table with a title line."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    body = [
        "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([title, line, body[0], line, *body[1:], line])


def table(title: str, first: str, metrics: dict[str, Metrics], totals: dict[str, float]) -> str:
    """One row per key of `metrics`."""
    rows = [[first, *HEAD]] + [_cells(k, m, totals[k]) for k, m in metrics.items()]
    return render(title, rows)


def per_pair_table(doc: dict, results: list[PairResult]) -> str:
    """Per pair plus the pooled TOTAL row."""
    totals = {r.pair: float(r.trades.pips.sum()) for r in results}
    totals["TOTAL"] = float(sum(totals.values()))
    metrics = {**doc["per_pair"], "TOTAL": doc["pooled"]}
    return table("VENOM per pair (pips after spread)", "pair", metrics, totals)


def shield_table(doc: dict, results: list[PairResult]) -> str:
    """Per CITADEL label: the shield earns its place only if higher buckets do better."""
    totals = {k: float(pooled_pips(results, keep=in_bucket(k)).sum()) for k in doc["by_shield"]}
    return table("CITADEL shield buckets", "shield", doc["by_shield"], totals)


def edge_lines(doc: dict) -> str:
    """VENOM against chance and against the break-even win rate of its own brackets."""
    v, r = doc["pooled"], doc["random_baseline"]
    be = doc["break_even_win_rate"]
    win, rwin = 100 * float(v["win_rate"]), 100 * float(r["win_rate"])
    edge = float(v["expectancy_pips"]) - float(r["expectancy_pips"])
    chance = (
        f"random baseline (same hours, VENOM's stops/targets, fixed seed): {r['trades']} "
        f"trades, win {rwin:.1f}%, {float(r['expectancy_pips']):+.2f} pips/trade, "
        f"PF {r['profit_factor']}"
    )
    verdict = (
        f"win rate {win:.1f}% vs break-even {100 * be:.1f}% (bracket only, before spread); "
        f"vs the 75% promise: {win - 75:+.1f} points"
    )
    edge_line = f"edge over chance: {edge:+.2f} pips/trade, {win - rwin:+.1f} win-rate points"
    lines = [chance, edge_line]
    runs = doc["random_runs"]
    if runs["runs"]:
        lines.append(
            f"random baseline over {runs['runs']} more seeds: median PF "
            f"{runs['profit_factor_median']} (5-95%: {runs['profit_factor_p5']}-"
            f"{runs['profit_factor_p95']}), median {runs['expectancy_pips_median']:+.2f} pips/trade"
        )
    return "\n".join([*lines, verdict])


def equity(results: list[PairResult]) -> np.ndarray:
    """Cumulative pooled pips in exit order."""
    return np.cumsum(pooled_pips(results))
