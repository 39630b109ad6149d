"""The intel shop and the battle pass: buying is one transaction under the trader's row lock."""

from __future__ import annotations

import uuid
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.game.records import Purchase
from bitten.domain.game.season import Reward, claimable, level, season_of
from bitten.domain.game.shop import PurchaseRefused, ShopItem, check_purchase, item
from bitten.domain.xp import XpAward, XpKind
from bitten.ports import Repositories
from bitten.services.game.deps import Storage
from bitten.services.game.zones import today


class Bought(BaseModel):
    purchase: Purchase
    name: str
    balance: int
    replayed: bool  # the same idempotency key again: nothing charged twice


def buy(trader_id: UUID, code: str, key: str, deps: Storage) -> Bought:
    """Buy one item with XP; PurchaseRefused (nothing charged) says why not.

    The trader's row is locked first, so concurrent purchases run one after the other and the
    balance never goes below zero; the idempotency key makes a retried request a no-op."""
    it, now = item(code), deps.clock.now()
    with deps.uow() as repos:
        balance = repos.game.xp.lock_balance(trader_id)
        done = repos.game.armory.purchase(key)
        if done is not None:
            if done.trader_id != trader_id:
                raise PurchaseRefused("that idempotency key belongs to another purchase")
            return Bought(purchase=done, name=item(done.item).name, balance=balance, replayed=True)
        day, _ = today(repos, trader_id, now)
        p = Purchase(
            id=uuid.uuid4(),
            trader_id=trader_id,
            item=it.code,
            price=it.price,
            day=day,
            season=season_of(now).id,
            idempotency_key=key,
            bought_at=now,
        )
        _check(repos, it, p, balance)
        _charge(repos, it, p)
    return Bought(purchase=p, name=it.name, balance=balance - it.price, replayed=False)


def _check(repos: Repositories, it: ShopItem, p: Purchase, balance: int) -> None:
    """PurchaseRefused unless the limits, the season's stock and the balance allow it."""
    armory = repos.game.armory
    stock = armory.stock_left(it.code, p.season, it.season_stock) if it.season_stock else None
    bought_today = armory.bought_on(p.trader_id, it.code, p.day)
    check_purchase(it, balance, bought_today, armory.held(p.trader_id).get(it.code, 0), stock)
    if it.season_stock and not armory.take_stock(it.code, p.season, it.season_stock):
        raise PurchaseRefused(f"{it.name} is sold out this season")


def _charge(repos: Repositories, it: ShopItem, p: Purchase) -> None:
    """The purchase, its negative XP event and the item, in the caller's transaction."""
    repos.game.armory.record_purchase(p)
    spend = XpAward(
        trader_id=p.trader_id,
        kind=XpKind.SHOP_PURCHASE,
        amount=-it.price,
        reference=str(p.id),
        note=it.name,
    )
    repos.game.xp.award(spend, p.bought_at)
    repos.game.armory.add(p.trader_id, it.code, 1)


def claim_rewards(trader_id: UUID, deps: Storage) -> list[Reward]:
    """Claim every battle pass reward reached and not yet claimed (each once, ever)."""
    now = deps.clock.now()
    season = season_of(now)
    with deps.uow() as repos:
        trader = repos.traders.get(trader_id)
        if trader is None:
            raise LookupError(f"trader {trader_id} does not exist")
        totals = repos.game.xp.totals(trader_id, season.starts_at, season.ends_at)
        open_rewards = claimable(
            level(totals.season_xp), trader.tier, repos.game.armory.claimed(trader_id, season.id)
        )
        got = []
        for r in open_rewards:
            if repos.game.armory.claim(trader_id, season.id, r.track, r.level, r.item, now):
                repos.game.armory.add(trader_id, r.item, r.quantity)
                got.append(r)
    return got
