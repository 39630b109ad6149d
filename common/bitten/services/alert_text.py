"""What the group and personal alerts say (Telegram HTML; every value from data is escaped)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape

from bitten.domain.display import (
    countdown,
    format_money,
    format_percent,
    format_pips,
    format_price,
    utc_time,
)
from bitten.domain.mission import Mission
from bitten.domain.outcome import CardState, Outcome, close_reason_text, slippage_pips
from bitten.domain.shield import POLICY
from bitten.domain.signal import TradeSignal
from bitten.ports import Button

TOP_CHECKS = 3


def side_word(signal: TradeSignal) -> str:
    return "BUY" if signal.direction == "buy" else "SELL"


def held_note() -> str:
    """Said wherever the multiplier is shown while CITADEL's scaling is not yet proven."""
    return "" if POLICY.scaled else ": held at 1.0 until CITADEL is proven"


def group_text(s: TradeSignal) -> str:
    """One line per fact for the signals group (no personal sizing)."""
    return (
        f"🐍 <b>VENOM {side_word(s)} {s.pair}</b> @ {format_price(s.pair, s.entry)}\n"
        f"SL {format_pips(s.stop_pips)} pips · TP {format_pips(s.target_pips)} pips · "
        f"confidence {s.confidence}%\n"
        f"🛡 CITADEL {s.shield_score}/10 {escape(s.shield_label)} (x{s.risk_multiplier} risk"
        f"{held_note()})\n"
        f"⏳ valid until {utc_time(s.expires_at)}"
    )


def briefing(s: TradeSignal, m: Mission, currency: str) -> str:
    """The mission's facts: prices at the pair's digits, pips, lots, risk in money and %."""
    pct = m.risk_amount * 100 / m.balance if m.balance else Decimal(0)
    checks = sorted(s.shield_checks, key=lambda c: -c.score)[:TOP_CHECKS]
    reasons = "".join(f"\n  • {escape(c.name)}: {escape(c.explanation)}" for c in checks)
    exposure = f"\n⚖️ {escape(m.exposure_note)}" if m.exposure_note else ""
    return (
        f"Entry ~{format_price(s.pair, s.entry)} · <b>{m.lots} lots</b>\n"
        f"Stop {format_price(s.pair, m.sl_price)} ({format_pips(s.stop_pips)} pips) · "
        f"Target {format_price(s.pair, m.tp_price)} ({format_pips(s.target_pips)} pips)\n"
        f"Risk {format_money(m.risk_amount, currency)} ({format_percent(pct)} of "
        f"{format_money(m.balance, currency)})\n"
        f"🛡 CITADEL {s.shield_score}/10 {escape(s.shield_label)} · x{m.risk_multiplier} risk"
        f"{held_note()}{reasons}{exposure}\n"
        f"Confidence {s.confidence}%"
    )


def headline(
    state: CardState, s: TradeSignal, m: Mission, o: Outcome | None, now: datetime, cur: str
) -> str:
    """The first line: what the mission is doing now."""
    title = f"{s.pair} {side_word(s)}"
    if state == CardState.OPEN:
        left = countdown(m.expires_at, now)
        return f"🎯 <b>MISSION · {title}</b>\n⏳ Expires {utc_time(m.expires_at)} ({left})"
    if state == CardState.EXPIRED:
        return (
            f"⌛ <b>EXPIRED · {title}</b>\nNot fired; the window closed at {utc_time(m.expires_at)}"
        )
    if state == CardState.FIRED:
        return f"🚀 <b>FIRED · {title}</b>\nFIRE received: sending your order"
    if state == CardState.REJECTED:
        why = escape((o.fire_message if o else "") or "the broker refused the order")
        return f"⛔ <b>NOT EXECUTED · {title}</b>\n{why}"
    assert o is not None
    return fill_line(title, s, o) if state == CardState.FILLED else close_line(title, s, o, cur)


def fill_line(title: str, s: TradeSignal, o: Outcome) -> str:
    price = o.price_open or Decimal(0)
    slip = o.slippage_pips
    if slip is None:
        slip = slippage_pips(s.pair, s.direction, s.entry, price)
    return (
        f"✅ <b>FILLED · {title}</b> {o.volume} lots @ {format_price(s.pair, price)}\n"
        f"Slippage {format_pips(slip, signed=True)} pips · ticket #{o.ticket}"
    )


def close_line(title: str, s: TradeSignal, o: Outcome, currency: str) -> str:
    pips, profit = o.pips or Decimal(0), o.profit or Decimal(0)
    mark = "🏆" if profit > 0 else "🛑" if profit < 0 else "🏁"
    return (
        f"{mark} <b>CLOSED · {title}</b> @ {format_price(s.pair, o.price_close or Decimal(0))}\n"
        f"{close_reason_text(o.close_reason).capitalize()} · {format_pips(pips, signed=True)} "
        f"pips · {format_money(profit, currency, signed=True)}"
    )


def card_text(
    state: CardState,
    s: TradeSignal,
    m: Mission,
    o: Outcome | None,
    now: datetime,
    currency: str,
) -> str:
    """The whole personal alert for its current stage."""
    return f"{headline(state, s, m, o, now, currency)}\n\n{briefing(s, m, currency)}"


def card_buttons(state: CardState, m: Mission, hud_url: str) -> list[list[Button]] | None:
    """FIRE while open; the HUD (a Mini App button, private chats) while it can change."""
    hud = Button(text="HUD", web_app_url=f"{hud_url}/hud?mission={m.id}")
    if state == CardState.OPEN:
        return [[Button(text="FIRE", callback_data=f"fire:{m.id}"), hud]]
    if state in (CardState.FIRED, CardState.FILLED, CardState.CLOSED):
        return [[hud]]
    return None


def notice_text(state: CardState, s: TradeSignal, o: Outcome, currency: str) -> str:
    """The short message that pings the trader on a fill or a close."""
    title = f"{s.pair} {side_word(s)}"
    if state == CardState.FILLED:
        return fill_line(title, s, o)
    return close_line(title, s, o, currency)
