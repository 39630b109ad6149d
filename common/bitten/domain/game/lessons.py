"""One concrete lesson drawn from the day, the first rule that matches wins."""

from __future__ import annotations

from collections.abc import Callable

from bitten.domain.game.drill import DayStats

Lesson = Callable[[DayStats], str | None]


def _abandoned(s: DayStats) -> str | None:
    if not s.abandoned:
        return None
    t = s.abandoned[0]
    return (
        f"You closed {t.pair} by hand at {t.pips:+} pips. Let the stop or the target decide: "
        "the edge is in whole trades, and a trade you cut earns no XP."
    )


def _refused(s: DayStats) -> str | None:
    if not s.refusals:
        return None
    shots = "shot" if s.refusals == 1 else "shots"
    return (
        f"{s.plan} refused {s.refusals} {shots} today. Read the plan line under each alert "
        "before you tap: the budget is there for the days you want to chase."
    )


def _stops_taken(s: DayStats) -> str | None:
    stops = [t for t in s.closed if t.reason == "sl"]
    if not stops or s.money >= 0:
        return None
    return (
        f"{len(stops)} stop(s) taken cleanly for {sum(t.pips for t in stops):+} pips. A loss at "
        "planned risk is the cost of doing business, not a mistake: same size tomorrow."
    )


def _target_paid(s: DayStats) -> str | None:
    targets = sorted((t for t in s.closed if t.reason == "tp"), key=lambda t: -t.pips)
    if not targets:
        return None
    t = targets[0]
    return (
        f"{t.pair} ran to its target ({t.pips:+} pips). The bracket paid because you left it "
        "alone: do exactly that again."
    )


def _expired(s: DayStats) -> str | None:
    if not s.expired or s.shots:
        return None
    return (
        f"{s.expired} mission(s) expired unanswered. Skipping on purpose is fine; if you meant "
        "to fire, keep Telegram notifications on: a mission lives 10 minutes."
    )


def _open_trades(s: DayStats) -> str | None:
    if not s.shots or s.closed:
        return None
    return "Your trades are still running. No touching: the drill will score them when they close."


def _quiet(s: DayStats) -> str | None:
    return "No mission met VENOM's bar for you today. Sitting out is a position too."


RULES: tuple[Lesson, ...] = (
    _abandoned,
    _refused,
    _stops_taken,
    _target_paid,
    _expired,
    _open_trades,
    _quiet,
)


def lesson(stats: DayStats) -> str:
    """The day's lesson (there is always one: the last rule always answers)."""
    for rule in RULES:
        text = rule(stats)
        if text:
            return text
    raise AssertionError("the last lesson rule always answers")
