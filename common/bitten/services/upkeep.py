"""trader_upkeep (every minute): paid tiers that ended, alert cards left behind by busy lanes."""

from __future__ import annotations

from collections import Counter

from bitten.domain.tiers import Tier
from bitten.services.deps import UpkeepDeps
from bitten.services.logs import prune_logs
from bitten.services.mission_updates import refresh_lagging_cards
from bitten.services.subscriptions import expire_tiers


class _PaymentView:
    """UpkeepDeps seen as PaymentDeps (expiry needs no prices)."""

    def __init__(self, deps: UpkeepDeps) -> None:
        self.uow, self.clock, self.notifier = deps.uow, deps.clock, deps.notifier
        self.tier_prices: dict[Tier, int] = {}


def run_upkeep(deps: UpkeepDeps) -> Counter[str]:
    """One pass; both steps are idempotent, so overlapping runs are harmless."""
    report: Counter[str] = Counter()
    report["tiers_expired"] = expire_tiers(_PaymentView(deps))
    report["cards_refreshed"] = refresh_lagging_cards(deps)
    report["log_lines_pruned"] = prune_logs(deps.uow, deps.clock, deps.log_retention_days)
    return report
