"""mission_fanout Lambda: a thin handler over bitten.handlers.functions.mission_fanout."""

from bitten.bootstrap import build_fanout_deps
from bitten.handlers.functions import mission_fanout
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(mission_fanout, build_fanout_deps)
