"""signal_scan Lambda: a thin handler over bitten.handlers.functions.signal_scan."""

from bitten.bootstrap import build_scan_deps
from bitten.handlers.functions import signal_scan
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(signal_scan, build_scan_deps)
