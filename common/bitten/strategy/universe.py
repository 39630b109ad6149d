"""The instruments VENOM trades: only those where it earned its place on development data."""

from __future__ import annotations

# v4 was profitable on these in every development look (docs/venom.md, look 4). USDCAD lost in
# every look and gold traded once, so neither is scanned until a version earns them.
TRADED: tuple[str, ...] = ("AUDUSD", "EURUSD", "GBPUSD", "USDJPY")


def scan_pairs(configured: list[str] | None = None) -> list[str]:
    """The pairs to scan: VENOM's own, narrowed to `configured` (BITTEN_PAIRS) when given."""
    if not configured:
        return list(TRADED)
    wanted = {p.upper() for p in configured}
    return [p for p in TRADED if p in wanted]
