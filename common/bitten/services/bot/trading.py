"""/missions (open, with countdown and FIRE), /positions (live P&L), /history (closed, totals)."""

from __future__ import annotations

from decimal import Decimal

from bitten.domain.broker import BrokerError, BrokerTimeout
from bitten.domain.display import countdown, format_money, format_pips, format_price
from bitten.domain.stats import trade_stats
from bitten.ports import Button
from bitten.services.bot.account import registered
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat, esc, say, web_app
from bitten.services.deps import BotDeps
from bitten.services.trader_views import live_positions

MAX_MISSIONS, MAX_POSITIONS, HISTORY = 8, 15, 10


def missions(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = registered(chat, user, deps)
    if trader is None:
        return "not_registered"
    now = deps.clock.now()
    with deps.uow() as repos:
        found = repos.missions.open_for_trader(trader.id, now)[:MAX_MISSIONS]
        signals = repos.signals.get_many([m.signal_id for m in found])
    if not found:
        say(deps.notifier, chat.chat_id, "No open missions right now; the next signal comes here.")
        return "missions"
    lines, rows = [], []
    for m in found:
        s = signals[m.signal_id]
        side = s.direction.upper()
        lines.append(
            f"🎯 <b>{s.pair} {side}</b> {m.lots} lots @ ~{format_price(s.pair, s.entry)} · "
            f"SL {format_pips(s.stop_pips)} / TP {format_pips(s.target_pips)} pips · "
            f"{countdown(m.expires_at, now)}"
        )
        rows.append([Button(text=f"FIRE {s.pair} {side}", callback_data=f"fire:{m.id}")])
        if chat.private:
            rows[-1].append(web_app("HUD", deps.hud_base_url, f"/hud?mission={m.id}"))
    say(deps.notifier, chat.chat_id, "\n".join(lines), rows)
    return "missions"


def positions(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = registered(chat, user, deps)
    if trader is None:
        return "not_registered"
    try:
        found = live_positions(trader, deps.broker)
    except (BrokerError, BrokerTimeout) as err:
        say(deps.notifier, chat.chat_id, f"The broker did not answer: {esc(err)}")
        return "broker_down"
    if not found:
        say(deps.notifier, chat.chat_id, "No open trades.")
        return "positions"
    cur = trader.account_currency
    lines = [
        f"{'🟢' if (p.profit or 0) >= 0 else '🔴'} <b>{p.symbol} {p.side.upper()}</b> {p.volume} "
        f"@ {format_price(p.symbol, p.price_open)} → "
        f"{format_price(p.symbol, p.price_current) if p.price_current else '?'} · "
        f"{format_pips(p.pips, signed=True) if p.pips is not None else '?'} pips · "
        f"{format_money(p.profit, cur, signed=True) if p.profit is not None else '?'}"
        for p in found[:MAX_POSITIONS]
    ]
    total = sum((p.profit or Decimal(0) for p in found), Decimal(0))
    lines.append(f"\nFloating P&amp;L {format_money(total, cur, signed=True)}")
    say(deps.notifier, chat.chat_id, "\n".join(lines))
    return "positions"


def history(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = registered(chat, user, deps)
    if trader is None:
        return "not_registered"
    with deps.uow() as repos:
        recent = repos.journal.closed_trades(trader.id, HISTORY)
        everything = repos.journal.closed_since(trader.id, None)
    if not recent:
        say(deps.notifier, chat.chat_id, "No closed trades yet.")
        return "history"
    cur = trader.account_currency
    lines = [
        f"{'🏆' if t.profit > 0 else '🛑' if t.profit < 0 else '🏁'} {t.closed_at:%m-%d %H:%M} "
        f"<b>{t.symbol} {t.side.upper()}</b> {format_pips(t.pips, signed=True)} pips · "
        f"{format_money(t.profit, cur, signed=True)}"
        for t in recent
    ]
    stats = trade_stats(everything)
    lines.append(
        f"\nAll {stats.trades} trades: {format_pips(stats.total_pips, signed=True)} pips · "
        f"{format_money(stats.total_profit, cur, signed=True)} · win rate {stats.win_rate}%"
    )
    buttons = [[web_app("Notebook", deps.hud_base_url, "/notebook")]] if chat.private else None
    say(deps.notifier, chat.chat_id, "\n".join(lines), buttons)
    return "history"
