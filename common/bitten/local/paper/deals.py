"""The paper book's deal history: one `in` deal per fill, one `out` deal per close."""

from __future__ import annotations

import itertools
from datetime import datetime

from bitten.domain.broker import ClosedDeal, Deal, Position


class DealLog:
    """Deals per account with their own tickets (MT5 deal tickets differ from order tickets).
    Not locked: the book calls it under its own lock."""

    def __init__(self) -> None:
        self._deals: list[tuple[str, Deal]] = []
        self._tickets = itertools.count(200_000_001)

    def entry(self, login: str, position: Position, now: datetime) -> Deal:
        """The deal that opened `position`."""
        deal = Deal(
            deal=next(self._tickets),
            order=position.ticket,
            position=position.ticket,
            client_id=position.client_id,
            symbol=position.symbol,
            side=position.side,
            entry="in",
            volume=position.volume,
            price=position.price_open,
            time=now,
        )
        self._deals.append((login, deal))
        return deal

    def exit(self, login: str, position: Position, closed: ClosedDeal) -> Deal:
        """The deal that closed `position` (the opposite side, at the close price)."""
        deal = Deal(
            deal=next(self._tickets),
            order=next(self._tickets),
            position=position.ticket,
            client_id=position.client_id,
            symbol=position.symbol,
            side="sell" if position.side == "buy" else "buy",
            entry="out",
            volume=closed.volume,
            price=closed.price,
            profit=closed.profit,
            reason=closed.reason,
            time=closed.time,
        )
        self._deals.append((login, deal))
        return deal

    def exits(self, login: str, since: datetime) -> list[ClosedDeal]:
        """Exit deals of `login` at or after `since`, oldest first."""
        return [
            d.as_closed()
            for owner, d in self._deals
            if owner == login and d.entry == "out" and d.time >= since
        ]

    def of_position(self, login: str, position: int) -> list[Deal]:
        return [d for owner, d in self._deals if owner == login and d.position == position]
