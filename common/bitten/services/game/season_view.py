"""Read models of the battle pass and the shop."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.game.season import Track, battle_pass, level, premium, season_of
from bitten.domain.game.shop import items
from bitten.ports import UnitOfWork
from bitten.services.game.zones import today


class RewardCard(BaseModel):
    level: int
    track: Track
    item: str
    quantity: int
    status: str  # claimed | claimable | locked (level not reached or premium track)


class SeasonView(BaseModel):
    id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    season_xp: int
    level: int
    max_level: int
    xp_to_next_level: int | None
    premium: bool
    rewards: list[RewardCard]


class ShopCard(BaseModel):
    code: str
    name: str
    price: int
    description: str
    held: int
    bought_today: int
    daily_limit: int | None
    hold_limit: int | None
    stock_left: int | None


class ShopView(BaseModel):
    balance: int
    items: list[ShopCard]


def season_view(trader_id: UUID, uow: UnitOfWork, now: datetime) -> SeasonView | None:
    """None when the trader does not exist."""
    season, bp = season_of(now), battle_pass()
    with uow() as repos:
        trader = repos.traders.get(trader_id)
        totals = repos.game.xp.totals(trader_id, season.starts_at, season.ends_at)
        claimed = repos.game.armory.claimed(trader_id, season.id)
    if trader is None:
        return None
    lvl, paid = level(totals.season_xp), premium(trader.tier)

    def status(track: Track, at: int) -> str:
        if (track, at) in claimed:
            return "claimed"
        open_track = track is Track.FREE or paid
        return "claimable" if open_track and at <= lvl else "locked"

    cards = [RewardCard(**r.model_dump(), status=status(r.track, r.level)) for r in bp.rewards]
    nxt = None if lvl >= bp.max_level else (lvl + 1) * bp.level_xp - totals.season_xp
    return SeasonView(
        **season.model_dump(),
        season_xp=totals.season_xp,
        level=lvl,
        max_level=bp.max_level,
        xp_to_next_level=nxt,
        premium=paid,
        rewards=sorted(cards, key=lambda c: (c.level, c.track.value)),
    )


def shop_view(trader_id: UUID, uow: UnitOfWork, now: datetime) -> ShopView:
    season = season_of(now)
    with uow() as repos:
        balance = repos.game.xp.totals(trader_id, season.starts_at, season.ends_at).balance
        day, _ = today(repos, trader_id, now)
        held = repos.game.armory.held(trader_id)
        cards = [
            ShopCard(
                **it.model_dump(
                    include={"code", "name", "price", "description", "daily_limit", "hold_limit"}
                ),
                held=held.get(it.code, 0),
                bought_today=repos.game.armory.bought_on(trader_id, it.code, day),
                stock_left=repos.game.armory.stock_left(it.code, season.id, it.season_stock)
                if it.season_stock
                else None,
            )
            for it in items().values()
            if it.for_sale
        ]
    return ShopView(balance=balance, items=cards)
