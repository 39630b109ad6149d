"""The intel shop: items priced in XP with limits (data/shop.json); a refusal says why."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel

EXTRA_SHOT = "extra_shot"
STREAK_SHIELD = "streak_shield"
DEEP_DIVE = "citadel_deep_dive"


class ShopItem(BaseModel):
    code: str
    name: str
    price: int
    description: str
    daily_limit: int | None = None  # bought per trading day
    hold_limit: int | None = None  # held at once
    season_stock: int | None = None  # sold to everyone per season
    for_sale: bool = True


class PurchaseRefused(ValueError):
    """The purchase cannot go through; the message says why (nothing was charged)."""


class _Shop(BaseModel):
    items: list[ShopItem]


@cache
def items() -> dict[str, ShopItem]:
    """Every item, validated from the package's JSON."""
    raw = resources.files("bitten.domain.game").joinpath("data/shop.json").read_text()
    return {i.code: i for i in _Shop.model_validate(json.loads(raw)).items}


def item(code: str) -> ShopItem:
    """A known item or PurchaseRefused naming what is on sale."""
    found = items().get(code.strip().lower().replace("-", "_"))
    if found is None:
        names = ", ".join(i.code for i in items().values() if i.for_sale)
        raise PurchaseRefused(f"no item {code!r} in the shop; on sale: {names}")
    return found


def check_purchase(
    it: ShopItem, balance: int, bought_today: int, held: int, stock_left: int | None
) -> None:
    """Raise PurchaseRefused unless the trader may buy one `it` now."""
    if not it.for_sale:
        raise PurchaseRefused(f"{it.name} is earned in the battle pass, not sold")
    if stock_left is not None and stock_left <= 0:
        raise PurchaseRefused(f"{it.name} is sold out this season")
    if it.daily_limit is not None and bought_today >= it.daily_limit:
        raise PurchaseRefused(f"{it.name}: {it.daily_limit} a trading day; bought already")
    if it.hold_limit is not None and held >= it.hold_limit:
        raise PurchaseRefused(f"{it.name}: you hold {held}, the most you can hold")
    if balance < it.price:
        raise PurchaseRefused(
            f"{it.name} costs {it.price} XP; your balance is {balance} XP "
            f"({it.price - balance} short)"
        )
