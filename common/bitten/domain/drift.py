"""VENOM live against its backtest: a setup drifts when its live win rate or profit factor
leaves the range its recorded backtest runs spanned (once it has enough trades to say so)."""

from __future__ import annotations

from bitten.domain.throne import Drift, DriftStatus, LiveResult, SetupReference


def profit_factor(result: LiveResult) -> float | None:
    """Pips won over pips lost; None without a losing pip (undefined, as in the backtest)."""
    if result.pips_lost <= 0:
        return None
    return round(float(result.pips_won / result.pips_lost), 2)


def drift_of(result: LiveResult, reference: SetupReference | None, min_trades: int) -> Drift:
    """ok / drift / too few trades / no reference, with a sentence saying why."""
    win_rate = round(100 * result.wins / result.trades, 1) if result.trades else None
    pf = profit_factor(result)
    status, note = _verdict(result, win_rate, pf, reference, min_trades)
    return Drift(
        setup=result.setup,
        trades=result.trades,
        win_rate=win_rate,
        profit_factor=pf,
        reference=reference,
        status=status,
        note=note,
    )


def _verdict(
    result: LiveResult,
    win_rate: float | None,
    pf: float | None,
    reference: SetupReference | None,
    min_trades: int,
) -> tuple[DriftStatus, str]:
    if reference is None:
        return "no reference", "no backtest range recorded"
    if result.trades < min_trades:
        return "too few trades", f"too few trades: {result.trades} of the {min_trades} needed"
    outside = _outside(win_rate, reference.win_rate, "win rate", "%")
    if pf is not None or result.pips_won > 0:
        outside += _outside(pf, reference.profit_factor, "PF", "")
    if outside:
        return "drift", "; ".join(outside)
    return "ok", "inside the backtest's range"


def _outside(value: float | None, span: tuple[float, float], name: str, unit: str) -> list[str]:
    low, high = span
    if value is None:  # a PF without losses is above any range
        return [f"{name} unbounded (no losing trade) above {low}{unit}..{high}{unit}"]
    if low <= value <= high:
        return []
    side = "below" if value < low else "above"
    return [f"{name} {value}{unit} {side} the backtest's {low}{unit}..{high}{unit}"]
