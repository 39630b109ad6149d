"""result_sync Lambda: a thin handler over bitten.handlers.functions.result_sync."""

from bitten.bootstrap import build_sync_deps
from bitten.handlers.functions import result_sync
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(result_sync, build_sync_deps)
