"""trader_upkeep Lambda: a thin handler over bitten.handlers.functions.trader_upkeep."""

from bitten.bootstrap import build_upkeep_deps
from bitten.handlers.functions import trader_upkeep
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(trader_upkeep, build_upkeep_deps)
