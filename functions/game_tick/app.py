"""game_tick Lambda: a thin handler over bitten.handlers.game.game_tick."""

from bitten.bootstrap import build_game_tick_deps
from bitten.handlers.game import game_tick
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(game_tick, build_game_tick_deps)
