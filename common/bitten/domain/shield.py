"""CITADEL's score scale (labels, risk multiplier) and the per-trader exposure check.

Pure Python: mission_fanout applies the exposure check for each trader without loading the
numpy strategy code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bitten.domain.instruments import split_symbol

LABELS = ((8.0, "FORTRESS"), (6.0, "STRONG"), (4.0, "GUARDED"), (0.0, "EXPOSED"))
MAX_EXPOSURE_PENALTY = 2
MULTIPLIER_FLOOR = Decimal("0.25")  # what signals and missions may store (0.25 to 1.5)
EXPOSURE_STEP = Decimal("0.125")  # size given up per same-side open trade


@dataclass(frozen=True)
class MultiplierPolicy:
    """How a shield score sizes risk: linear from `low` at score 0 to `high` at score 10."""

    low: Decimal
    high: Decimal

    @property
    def scaled(self) -> bool:
        return self.low != self.high


LINEAR = MultiplierPolicy(Decimal("0.25"), Decimal("1.5"))
HELD = MultiplierPolicy(Decimal(1), Decimal(1))
# CITADEL's score has not yet shown that higher buckets earn more (docs/venom.md), so it scores
# and explains but sizes every signal at 1.0x. Set LINEAR again once a bucket table shows it.
POLICY = HELD


def label_for(score: float | Decimal) -> str:
    """FORTRESS >= 8, STRONG >= 6, GUARDED >= 4, else EXPOSED."""
    return next((name for floor, name in LABELS if score >= floor), "EXPOSED")


def multiplier_for(score: Decimal, policy: MultiplierPolicy = POLICY) -> Decimal:
    """The policy's multiplier at `score` (clamped to 0-10), at the two decimals signals and
    missions keep (numeric(4, 2))."""
    clamped = min(max(score, Decimal(0)), Decimal(10))
    span = policy.high - policy.low
    return (policy.low + span * clamped / 10).quantize(Decimal("0.01"))


def net_exposure(open_trades: Iterable[tuple[str, str]]) -> dict[str, int]:
    """(symbol, side) of open trades -> net trades per currency (a EURUSD buy: EUR +1, USD -1)."""
    out: dict[str, int] = {}
    for symbol, side in open_trades:
        base, quote = split_symbol(symbol)
        sign = 1 if side == "buy" else -1
        out[base] = out.get(base, 0) + sign
        out[quote] = out.get(quote, 0) - sign
    return out


def exposure_penalty(pair: str, direction: str, exposure: dict[str, int]) -> tuple[int, str | None]:
    """Shield points lost (0 to -2): one per open trade already on the same side of the more
    exposed currency of `pair` (net, so a hedge cancels), and the sentence the trader sees."""
    base, quote = split_symbol(pair)
    d = 1 if direction == "buy" else -1
    legs = [(d * exposure.get(base, 0), base), (-d * exposure.get(quote, 0), quote)]
    same, currency = max(legs, key=lambda leg: leg[0])  # a tie names the base currency
    if same <= 0:
        return 0, None
    penalty = -min(MAX_EXPOSURE_PENALTY, same)
    side = "long" if (currency == base) == (d > 0) else "short"
    trades = f"{same} open trade{'s' if same != 1 else ''}"
    return penalty, f"already {side} {currency} in {trades} ({penalty:+d} shield)"


def adjusted_multiplier(multiplier: Decimal, penalty: int) -> Decimal:
    """The signal's multiplier less one exposure step (1/8) per penalty point, never under the
    floor. On the linear scale this is the multiplier of the score lowered by `penalty`; while
    the score's scale is held at 1.0, the exposure check still trims the size."""
    if penalty == 0:
        return multiplier
    lowered = multiplier + EXPOSURE_STEP * penalty
    return max(lowered, MULTIPLIER_FLOOR).quantize(Decimal("0.01"))
