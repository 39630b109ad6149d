"""Lambda glue of the game (issue 12): the minute tick and the paced notice sender."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from bitten.handlers.runtime import Handler, sqs_batch
from bitten.services.game.deps import GameDispatchDeps, GameTickDeps
from bitten.services.game.dispatch import dispatch_notice
from bitten.services.game.tick import game_tick as run_tick


class NoticeMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notice_id: UUID


def game_tick(deps: GameTickDeps) -> Handler:
    def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
        return dict(run_tick(deps))

    return handler


def game_dispatch(deps: GameDispatchDeps) -> Handler:
    return sqs_batch(NoticeMessage, lambda m, _: dispatch_notice(m.notice_id, deps), "game")
