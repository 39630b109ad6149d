"""fire_execution Lambda: a thin handler over bitten.handlers.functions.fire_execution."""

from bitten.bootstrap import build_fire_exec_deps
from bitten.handlers.functions import fire_execution
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(fire_execution, build_fire_exec_deps)
