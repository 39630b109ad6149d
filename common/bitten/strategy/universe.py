"""The instruments VENOM trades: those whose family passed a setup on development data."""

from __future__ import annotations

from bitten.domain.spreads import TYPICAL_SPREAD_PIPS
from bitten.strategy.setups import setups_for

# The 28 majors and crosses and gold (the spread model prices exactly these), kept where a
# v5 setup trades the instrument's family (strategy/setups.py).
TRADED: tuple[str, ...] = tuple(sorted(p for p in TYPICAL_SPREAD_PIPS if setups_for(p)))


def scan_pairs(configured: list[str] | None = None) -> list[str]:
    """The pairs to scan: VENOM's own, narrowed to `configured` (BITTEN_PAIRS) when given."""
    if not configured:
        return list(TRADED)
    wanted = {p.upper() for p in configured}
    return [p for p in TRADED if p in wanted]
