"""Norman's Notebook statistics and the note rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bitten.domain.notes import InvalidNote, clean_note, clean_tags
from bitten.domain.stats import ClosedTrade, trade_stats, week_start

T0 = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)


def closed(symbol: str, profit: str, pips: str, minutes: int = 30) -> ClosedTrade:
    return ClosedTrade(
        mission_id=uuid.uuid4(),
        symbol=symbol,
        side="buy",
        volume=Decimal("0.10"),
        price_open=Decimal("1.1"),
        price_close=Decimal("1.1"),
        opened_at=T0,
        closed_at=T0 + timedelta(minutes=minutes),
        pips=Decimal(pips),
        profit=Decimal(profit),
        close_reason="tp" if Decimal(profit) > 0 else "sl",
    )


def test_stats_of_three_wins_and_one_loss():
    trades = [
        closed("EURUSD", "200", "20", 30),
        closed("EURUSD", "100", "10", 90),
        closed("USDJPY", "50", "5", 60),
        closed("GBPUSD", "-100", "-10", 60),
    ]
    stats = trade_stats(trades)
    assert (stats.trades, stats.wins, stats.losses) == (4, 3, 1)
    assert stats.win_rate == Decimal("75.0")
    assert stats.expectancy == Decimal("62.50")  # (350 - 100) / 4
    assert stats.profit_factor == Decimal("3.50")  # 350 / 100
    assert (stats.total_profit, stats.total_pips) == (Decimal("250"), Decimal("25"))
    assert stats.average_hold_minutes == 60
    assert (stats.best_pair, stats.worst_pair) == ("EURUSD", "GBPUSD")


def test_no_trades_and_no_losses_leave_ratios_empty():
    assert trade_stats([]).win_rate is None
    assert trade_stats([closed("EURUSD", "10", "1")]).profit_factor is None


def test_week_starts_on_monday_midnight():
    assert week_start(datetime(2024, 1, 10, 15, 0, tzinfo=UTC)) == T0.replace(hour=0)


def test_tags_are_normalised_and_checked():
    assert clean_tags(["Breakout", "#news", "breakout", "asia-open"]) == [
        "breakout",
        "news",
        "asia-open",
    ]
    with pytest.raises(InvalidNote, match="tag"):
        clean_tags(["<script>"])
    with pytest.raises(InvalidNote, match="at most 10"):
        clean_tags([f"t{i}" for i in range(11)])


def test_a_note_keeps_any_text_up_to_2000_characters():
    assert clean_note("  <script>alert(1)</script>  ") == "<script>alert(1)</script>"
    with pytest.raises(InvalidNote, match="2000"):
        clean_note("x" * 2001)
