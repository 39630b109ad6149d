"""alert_dispatch Lambda: a thin handler over bitten.handlers.functions.alert_dispatch."""

from bitten.bootstrap import build_alert_deps
from bitten.handlers.functions import alert_dispatch
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(alert_dispatch, build_alert_deps)
