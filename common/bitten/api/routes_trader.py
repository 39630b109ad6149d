"""The trader's own data behind /me and /notebook: GET /api/me, /api/positions,
/api/history, /api/notebook (paginated), PUT /api/notebook/{mission_id}."""

from __future__ import annotations

import json
from collections.abc import Callable
from uuid import UUID

from chalice import Chalice, Response
from pydantic import BaseModel, ValidationError

from bitten.api.auth import caller, current, query
from bitten.api.responses import error, json_response
from bitten.domain.broker import BrokerError, BrokerTimeout
from bitten.domain.notes import InvalidNote, clean_note, clean_tags
from bitten.services.deps import ApiDeps
from bitten.services.trader_views import history_page, live_positions, notebook, trader_summary

MAX_PER_PAGE = 100


class NoteBody(BaseModel):
    note: str = ""
    tags: list[str] = []


def _page(app: Chalice, default: int = 20) -> tuple[int, int] | Response:
    """(page, per_page) from the query string, or the 400 to send back."""
    try:
        page = int(query(app, "page") or 1)
        per_page = int(query(app, "per_page") or default)
    except ValueError:
        return error(400, "page and per_page must be whole numbers")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return error(400, f"page starts at 1; per_page is 1-{MAX_PER_PAGE}")
    return page, per_page


def _paged_caller(app: Chalice, d: ApiDeps) -> tuple[UUID, int, int] | Response:
    """(trader, page, per_page), or the 401/400 to send back."""
    trader_id = caller(app, d)
    if isinstance(trader_id, Response):
        return trader_id
    paging = _page(app)
    return paging if isinstance(paging, Response) else (trader_id, *paging)


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/me", methods=["GET"])
    def me() -> Response:
        d = deps()
        trader_id = caller(app, d)
        if isinstance(trader_id, Response):
            return trader_id
        summary = trader_summary(trader_id, d.bot)
        if summary is None:
            return error(404, "trader not found")
        return json_response(summary.model_dump(mode="json"))

    @app.route("/api/positions", methods=["GET"])
    def positions() -> Response:
        d = deps()
        trader_id = caller(app, d)
        if isinstance(trader_id, Response):
            return trader_id
        with d.uow() as repos:
            trader = repos.traders.get(trader_id)
        if trader is None:
            return error(404, "trader not found")
        try:
            items = live_positions(trader, d.bot.broker)
        except (BrokerError, BrokerTimeout) as err:
            return error(503, f"the broker did not answer: {err}")
        body = {"items": [p.model_dump(mode="json") for p in items], "total": len(items)}
        return json_response({**body, "currency": trader.account_currency})

    @app.route("/api/history", methods=["GET"])
    def history() -> Response:
        d = deps()
        asked = _paged_caller(app, d)
        if isinstance(asked, Response):
            return asked
        return json_response(history_page(*asked, d.uow).model_dump(mode="json"))

    @app.route("/api/notebook", methods=["GET"])
    def get_notebook() -> Response:
        d = deps()
        asked = _paged_caller(app, d)
        if isinstance(asked, Response):
            return asked
        return json_response(notebook(*asked, d.uow).model_dump(mode="json"))

    @app.route("/api/notebook/{mission_id}", methods=["PUT"], content_types=["application/json"])
    def put_note(mission_id: str) -> Response:
        d = deps()
        trader_id = caller(app, d)
        if isinstance(trader_id, Response):
            return trader_id
        try:
            body = NoteBody.model_validate(json.loads(current(app).raw_body or b"{}"))
            note, tags = clean_note(body.note), clean_tags(body.tags)
            mid = UUID(mission_id)
        except InvalidNote as err:
            return error(400, str(err))
        except (ValueError, ValidationError):
            return error(400, 'send JSON like {"note": "text", "tags": ["breakout"]}')
        with d.uow() as repos:
            saved = repos.journal.save_note(mid, trader_id, note, tags, d.clock.now())
        if not saved:
            return error(404, "no closed trade of yours with this id")
        return json_response({"mission_id": str(mid), "note": note, "tags": tags})
