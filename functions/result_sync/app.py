"""result_sync Lambda: thin handler over bitten.services (see bitten.handlers.functions.result_sync)."""

from bitten.handlers.functions import result_sync
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(result_sync, "build_sync_deps")
