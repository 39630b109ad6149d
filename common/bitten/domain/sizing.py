"""Position sizing: risk = balance x risk% x multiplier; lots = risk / (stop pips x pip value)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_UP, Decimal

from pydantic import BaseModel

from bitten.domain.instruments import SymbolSpec, pip_value_per_lot

CENT = Decimal("0.01")
RESIDUE = Decimal("1e-12")


class PositionTooSmall(ValueError):
    """The risk budget does not buy the broker's minimum volume."""


class Sizing(BaseModel):
    risk_amount: Decimal
    pip_value: Decimal
    lots: Decimal


def risk_amount(balance: Decimal, risk_percent: Decimal, multiplier: Decimal) -> Decimal:
    """Account-currency amount at risk, rounded down to the cent."""
    return (balance * risk_percent / 100 * multiplier).quantize(CENT, rounding=ROUND_DOWN)


def round_to_step(lots: Decimal, spec: SymbolSpec) -> Decimal:
    """Round DOWN to the volume step (never risk more than planned), capped at volume_max."""
    # Snap away division residue first (1/150 is inexact): 59.999...9 steps is 60 steps.
    lots = min(lots, spec.volume_max)
    steps = (lots / spec.volume_step).quantize(RESIDUE).to_integral_value(rounding=ROUND_DOWN)
    return (steps * spec.volume_step).quantize(spec.volume_step)


def position_size(
    balance: Decimal,
    stop_pips: Decimal,
    spec: SymbolSpec,
    multiplier: Decimal,
    risk_percent: Decimal = Decimal(2),
    account_currency: str = "USD",
    rates: dict[str, Decimal] | None = None,
    pip_value: Decimal | None = None,
) -> Sizing:
    """Lots for a mission; raises PositionTooSmall below the broker's minimum volume.
    `pip_value` (per lot, account currency) is computed from `rates` when not given."""
    if stop_pips <= 0:
        raise ValueError("stop must be a positive number of pips")
    risk = risk_amount(balance, risk_percent, multiplier)
    if pip_value is None:
        pip_value = pip_value_per_lot(spec, account_currency, rates)
    lots = round_to_step(risk / (stop_pips * pip_value), spec)
    if lots < spec.volume_min:
        raise PositionTooSmall(
            f"risking {risk} {account_currency} over {stop_pips} pips buys {lots} lots, "
            f"below the {spec.volume_min} minimum"
        )
    return Sizing(risk_amount=risk, pip_value=pip_value.quantize(Decimal("0.0001")), lots=lots)


def margin_required(
    lots: Decimal, contract_size: Decimal, price: Decimal, leverage: int, quote_rate: Decimal
) -> Decimal:
    """Account-currency margin of `lots` at `price`: the notional in the quote currency over
    the leverage, converted by `quote_rate`; rounded up to the cent (MT5 forex mode)."""
    notional = lots * contract_size * price * quote_rate
    return (notional / max(leverage, 1)).quantize(CENT, rounding=ROUND_UP)


def lots_for_margin(
    free_margin: Decimal, spec: SymbolSpec, price: Decimal, leverage: int, quote_rate: Decimal
) -> Decimal:
    """The most lots `free_margin` can hold at `price`, rounded down to the volume step."""
    per_lot = margin_required(Decimal(1), spec.contract_size, price, leverage, quote_rate)
    if free_margin <= 0 or per_lot <= 0:
        return Decimal(0)
    return round_to_step(free_margin / per_lot, spec)
