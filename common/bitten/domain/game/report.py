"""The drill report as the trader reads it in Telegram."""

from __future__ import annotations

from pydantic import BaseModel

from bitten.domain.game.drill import HEADLINES, DayStats, Tone, discipline_score, tone
from bitten.domain.game.lessons import lesson
from bitten.domain.game.streaks import Cover, DayOutcome, StreakState


class DrillReport(BaseModel):
    """One trader's report for one trading day, ready to send."""

    stats: DayStats
    discipline: int
    tone: Tone
    lesson: str
    outcome: DayOutcome
    streak: StreakState
    cover: Cover | None = None
    zone: str = "UTC"

    @property
    def followed(self) -> bool:
        return self.outcome is DayOutcome.FOLLOWED


def assess(stats: DayStats) -> tuple[int, Tone, str]:
    """(discipline score, tone, lesson) of a day."""
    score = discipline_score(stats)
    return score, tone(stats, score), lesson(stats)


def _streak_line(streak: StreakState, cover: Cover | None) -> str:
    days = "day" if streak.current == 1 else "days"
    line = f"Streak {streak.current} {days} (best {streak.best})"
    if cover is Cover.GRACE:
        return line + "; today's miss used this week's grace day"
    if cover is Cover.SHIELD:
        return line + "; a streak shield covered today's miss"
    return line


def render(report: DrillReport) -> str:
    """The message text (plain, under Telegram's 4,096 characters)."""
    s = report.stats
    return "\n".join(
        [
            f"DRILL REPORT {s.day:%a %d %b %Y} (18:00 {report.zone})",
            HEADLINES[report.tone],
            f"Shots {s.shots} of {s.shots_allowed} ({s.plan}) | "
            f"wins {s.wins} of {len(s.closed)} closed",
            f"Pips {s.pips:+} | P&L {s.money:+} {s.currency}",
            f"Discipline {report.discipline}/100 | XP today +{s.xp}",
            _streak_line(report.streak, report.cover),
            f"Lesson: {report.lesson}",
        ]
    )
