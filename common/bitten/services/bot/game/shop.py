"""/shop: items, prices and limits; /shop buy ITEM: buy one with XP."""

from __future__ import annotations

import uuid

from bitten.domain.game.shop import PurchaseRefused
from bitten.services.bot.game.common import say, trader_of
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps
from bitten.services.game.season_view import shop_view
from bitten.services.game.shop import buy


def shop(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = trader_of(chat.chat_id, user, deps)
    if trader is None:
        return "not_registered"
    word, _, code = arg.strip().partition(" ")
    if word.lower() == "buy":
        try:  # a redelivered update never gets here twice (update_id), so a fresh key is safe
            bought = buy(trader.id, code, f"tg:{uuid.uuid4()}", deps)
        except PurchaseRefused as why:
            say(deps, chat.chat_id, [f"Not bought: {why}"])
            return "purchase_refused"
        say(
            deps,
            chat.chat_id,
            [f"Bought {bought.name} for {bought.purchase.price} XP. Balance {bought.balance} XP."],
        )
        return "bought"
    view = shop_view(trader.id, deps.uow, deps.clock.now())
    lines = [f"INTEL SHOP - balance {view.balance} XP"]
    for i in view.items:
        stock = f", {i.stock_left} left this season" if i.stock_left is not None else ""
        lines.append(f"{i.code}: {i.name}, {i.price} XP (held {i.held}{stock})\n  {i.description}")
    say(deps, chat.chat_id, lines + ["Buy with /shop buy ITEM"])
    return "shop"
