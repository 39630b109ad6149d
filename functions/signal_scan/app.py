"""signal_scan Lambda: thin handler over bitten.services (see bitten.handlers.functions.signal_scan)."""

from bitten.handlers.functions import signal_scan
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(signal_scan, "build_scan_deps")
