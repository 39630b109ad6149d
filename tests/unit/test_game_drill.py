"""The drill report's discipline score, tone and lesson, as pure rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bitten.domain.game.drill import ClosedTrade, DayStats, Tone, discipline_score, tone
from bitten.domain.game.lessons import lesson
from bitten.domain.game.report import DrillReport, assess, render
from bitten.domain.game.streaks import Cover, DayOutcome, StreakState


def trade(reason: str, pips: str, profit: str, pair: str = "USDJPY") -> ClosedTrade:
    return ClosedTrade(pair=pair, reason=reason, pips=Decimal(pips), profit=Decimal(profit))


def day(**kw) -> DayStats:
    base = {"day": date(2024, 1, 9), "plan": "FIRST_BLOOD", "shots": 0, "shots_allowed": 4}
    return DayStats(**(base | kw))


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        (
            day(shots=2, closed=[trade("tp", "20", "40"), trade("sl", "-10", "-20")]),
            Tone.OUTSTANDING,
        ),
        (day(shots=1, closed=[]), Tone.SOLID),
        (day(shots=2, closed=[trade("sl", "-10", "-20"), trade("sl", "-8", "-16")]), Tone.STEADY),
        (day(shots=1, closed=[trade("client", "15", "30")]), Tone.ROUGH),
        (day(refusals=1), Tone.ROUGH),
        (day(missions=3, expired=3), Tone.NO_ACTION),
    ],
)
def test_five_tones_from_result_and_discipline(stats, expected):
    assert tone(stats, discipline_score(stats)) is expected


def test_discipline_loses_40_a_trade_cut_and_35_a_refused_shot():
    assert discipline_score(day(closed=[trade("client", "1", "1")], refusals=1)) == 25
    assert discipline_score(day(closed=[trade("stopout", "-50", "-99")] * 3)) == 0


@pytest.mark.parametrize(
    ("stats", "starts"),
    [
        (
            day(shots=1, closed=[trade("tp", "20", "4"), trade("client", "-3.5", "-7", "EURUSD")]),
            "You closed EURUSD by hand at -3.5 pips.",
        ),
        (day(refusals=2), "FIRST_BLOOD refused 2 shots today."),
        (day(shots=2, closed=[trade("sl", "-10", "-20")]), "1 stop(s) taken cleanly for -10 pips."),
        (
            day(shots=1, closed=[trade("tp", "12", "9"), trade("tp", "25", "19", "GBPUSD")]),
            "GBPUSD ran to its target (+25 pips).",
        ),
        (day(missions=2, expired=2), "2 mission(s) expired unanswered."),
        (day(shots=1), "Your trades are still running."),
        (day(), "No mission met VENOM's bar for you today."),
    ],
)
def test_the_lesson_is_drawn_from_the_days_own_numbers(stats, starts):
    assert lesson(stats).startswith(starts)


def test_the_report_reads_as_one_message_with_every_figure():
    stats = day(shots=2, closed=[trade("tp", "20", "40"), trade("sl", "-10", "-20")], xp=55)
    score, t, text = assess(stats)
    report = DrillReport(
        stats=stats,
        discipline=score,
        tone=t,
        lesson=text,
        outcome=DayOutcome.FOLLOWED,
        streak=StreakState(current=3, best=5),
        cover=Cover.GRACE,
        zone="Europe/London",
    )
    assert render(report).splitlines()[:6] == [
        "DRILL REPORT Tue 09 Jan 2024 (18:00 Europe/London)",
        "OUTSTANDING. Textbook execution and the account shows it.",
        "Shots 2 of 4 (FIRST_BLOOD) | wins 1 of 2 closed",
        "Pips +10 | P&L +20 USD",
        "Discipline 100/100 | XP today +55",
        "Streak 3 days (best 5); today's miss used this week's grace day",
    ]
