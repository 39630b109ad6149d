"""Plain-text tables in the freqtrade style for `bitten backtest`."""

from __future__ import annotations

from bitten.strategy.report import Metrics

HEAD = ("trades", "win %", "exp pips/trade", "tot pips", "PF", "max DD pips", "trades/day")
GROUPS = (  # (JSON key, table title, first column)
    ("per_setup", "VENOM per setup", "setup"),
    ("per_family", "VENOM per instrument family", "family"),
    ("per_session", "VENOM per session (UTC hour of the signal)", "session"),
    ("per_bucket", "CITADEL shield buckets", "shield"),
    ("by_month", "VENOM by month", "month"),
)


def _cells(name: str, m: Metrics) -> list[str]:
    pf = "inf" if m["profit_factor"] is None else f"{m['profit_factor']:.2f}"
    pf = pf if m["trades"] else "-"
    return [
        name,
        str(m["trades"]),
        f"{100 * float(m['win_rate'] or 0):.1f}",
        f"{float(m['expectancy_pips'] or 0):+.2f}",
        f"{float(m['total_pips'] or 0):+.1f}",
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


def table(title: str, first: str, metrics: dict[str, Metrics]) -> str:
    """One row per key of `metrics`."""
    rows = [[first, *HEAD]] + [_cells(k, m) for k, m in metrics.items()]
    return render(title, rows)


def per_pair_table(doc: dict) -> str:
    """Per pair plus the pooled TOTAL row (pair trades/day over that pair's own days)."""
    metrics = {**doc["per_pair"], "TOTAL": doc["pooled"]}
    return table("VENOM per pair (pips after spread)", "pair", metrics)


def group_tables(doc: dict) -> list[str]:
    """Per setup, family, session, shield bucket and month (empty groups say so)."""
    return [
        table(title, first, doc[key]) if doc[key] else f"{title}: no trades"
        for key, title, first in GROUPS
    ]


def stress_line(doc: dict) -> str:
    """The same engine with every fill at 1.5x the model spread."""
    s = doc.get("stress_1_5x")
    if not s:
        return "spread stress: not run"
    pf = "inf" if s["profit_factor"] is None else f"{s['profit_factor']:.2f}"
    return (
        f"at 1.5x spreads: {s['trades']} trades, win {100 * float(s['win_rate']):.1f}%, "
        f"{float(s['expectancy_pips']):+.2f} pips/trade, PF {pf}"
    )


def edge_lines(doc: dict) -> str:
    """VENOM against chance and against the break-even win rate of its own brackets."""
    v, r = doc["pooled"], doc["random_baseline"]
    be = doc["break_even_win_rate"]
    win, rwin = 100 * float(v["win_rate"]), 100 * float(r["win_rate"])
    edge = float(v["expectancy_pips"]) - float(r["expectancy_pips"])
    lines = [
        f"random baseline (same hours, VENOM's stops/targets, fixed seed): {r['trades']} "
        f"trades, win {rwin:.1f}%, {float(r['expectancy_pips']):+.2f} pips/trade, "
        f"PF {r['profit_factor']}",
        f"edge over chance: {edge:+.2f} pips/trade, {win - rwin:+.1f} win-rate points",
    ]
    runs = doc["random_runs"]
    if runs["runs"]:
        lines.append(
            f"random baseline over {runs['runs']} more seeds: median PF "
            f"{runs['profit_factor_median']} (5-95%: {runs['profit_factor_p5']}-"
            f"{runs['profit_factor_p95']}), median {runs['expectancy_pips_median']:+.2f} pips/trade"
        )
    lines.append(
        f"{v['trades']} trades over {doc['trading_days']} trading days: "
        f"{v['trades_per_day']:.2f} a day across the universe"
    )
    lines.append(
        f"win rate {win:.1f}% vs break-even {100 * be:.1f}% (bracket only, before spread); "
        f"vs the 75% promise: {win - 75:+.1f} points"
    )
    return "\n".join(lines)


def calibration_table(doc: dict) -> str:
    """CITADEL's buckets with the 90% interval of their mean pips, weakest first."""
    cal = doc["shield_calibration"]
    rows = [["shield", "trades", "exp pips/trade", "90% interval"]]
    for name, b in cal["buckets"].items():
        low, high = b["ci90"]
        rows.append(
            [name, str(b["trades"]), f"{b['expectancy_pips']:+.2f}", f"{low:+.2f}..{high:+.2f}"]
        )
    verdict = "ordered" if cal["ordered"] else "NOT ordered: the multiplier stays at 1.0"
    title = f"CITADEL calibration ({cal['pips_per_point']:+.3f} pips per shield point; {verdict})"
    return render(title, rows)


def risk_lines(doc: dict) -> str:
    """At the default 2% a trade: worst day and week, streak, adverse excursion, Monte Carlo."""
    r, mc = doc["risk"], doc["risk"]["monte_carlo"]
    lines = [
        f"risk at {100 * r['risk_per_trade']:.0f}% a trade: "
        f"worst day {100 * r['worst_day']:+.1f}%, worst week {100 * r['worst_week']:+.1f}%, "
        "longest losing streak "
        f"{r['longest_losing_streak']}, mean win {100 * r['mean_win']:+.2f}%, "
        f"mean loss {100 * r['mean_loss']:+.2f}%",
        f"adverse excursion: median {r['mae_pips_median']:.1f} pips "
        f"({100 * r['mae_of_stop_median']:.0f}% of the stop), 95th percentile "
        f"{r['mae_pips_p95']:.1f} pips ({100 * r['mae_of_stop_p95']:.0f}% of the stop)",
    ]
    if mc.get("paths"):
        lines.append(
            f"a year of {mc['trades_a_year']} trades, {mc['paths']:,} Monte Carlo paths: "
            f"P(drawdown >= 20%) {100 * mc['p_drawdown_20']:.1f}%, P(>= 50%) "
            f"{100 * mc['p_drawdown_50']:.1f}%, median year {100 * mc['median_year_return']:+.1f}%"
            f" (5th percentile {100 * mc['p5_year_return']:+.1f}%)"
        )
    return "\n".join(lines)
