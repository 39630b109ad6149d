"""game_dispatch Lambda: a thin handler over bitten.handlers.game.game_dispatch."""

from bitten.bootstrap import build_game_dispatch_deps
from bitten.handlers.game import game_dispatch
from bitten.handlers.runtime import lazy_handler

handler = lazy_handler(game_dispatch, build_game_dispatch_deps)
