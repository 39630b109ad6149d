"""The instruments VENOM trades live: those the live profile gives a setup."""

from __future__ import annotations

from bitten.domain.spreads import TYPICAL_SPREAD_PIPS
from bitten.strategy.setups import setups_for

# Of the 28 majors and crosses and gold (the spread model prices exactly these), those a setup
# of the live profile trades (strategy/setups.py).
TRADED: tuple[str, ...] = tuple(sorted(p for p in TYPICAL_SPREAD_PIPS if setups_for(p)))


def scan_pairs(configured: list[str] | None = None) -> list[str]:
    """The pairs to scan: VENOM's own, narrowed to `configured` (BITTEN_PAIRS) when given."""
    if not configured:
        return list(TRADED)
    wanted = {p.upper() for p in configured}
    return [p for p in TRADED if p in wanted]
