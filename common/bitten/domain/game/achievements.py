"""Achievements in six grades, defined as data (data/achievements.json), unlocked once each.

Results achievements carry no XP: XP pays for discipline, a badge is enough for luck.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel


class Category(StrEnum):
    DISCIPLINE = "discipline"
    CONSISTENCY = "consistency"
    RESULTS = "results"


class Metric(StrEnum):
    BRACKET_CLOSES = "bracket_closes"
    DRILL_READS = "drill_reads"
    BEST_STREAK = "best_streak"
    PLAN_DAYS = "plan_days"
    TARGET_HITS = "target_hits"
    NET_PIPS = "net_pips"


class Achievement(BaseModel):
    code: str  # family_grade, e.g. by_the_book_gold
    name: str
    grade: str
    rank: int  # 0 = Bronze ... 5 = Master
    category: Category
    metric: Metric
    threshold: int
    xp: int
    description: str


class TraderRecord(BaseModel):
    """The numbers achievements are measured on (whole pips, rounded down)."""

    bracket_closes: int = 0
    drill_reads: int = 0
    best_streak: int = 0
    plan_days: int = 0
    target_hits: int = 0
    net_pips: int = 0

    def value(self, metric: Metric) -> int:
        return int(getattr(self, metric.value))


class _Family(BaseModel):
    family: str
    name: str
    category: Category
    metric: Metric
    describe: str
    thresholds: list[int]
    xp: list[int]


class _Catalog(BaseModel):
    grades: list[str]
    families: list[_Family]


@cache
def catalog() -> tuple[Achievement, ...]:
    """Every achievement, validated from the package's JSON (one entry per family and grade)."""
    raw = resources.files("bitten.domain.game").joinpath("data/achievements.json").read_text()
    data = _Catalog.model_validate(json.loads(raw))
    out = []
    for f in data.families:
        if not len(f.thresholds) == len(f.xp) == len(data.grades):
            raise ValueError(f"achievement family {f.family} needs one threshold per grade")
        for rank, (grade, n, xp) in enumerate(zip(data.grades, f.thresholds, f.xp, strict=True)):
            out.append(
                Achievement(
                    code=f"{f.family}_{grade.lower()}",
                    name=f.name,
                    grade=grade,
                    rank=rank,
                    category=f.category,
                    metric=f.metric,
                    threshold=n,
                    xp=xp,
                    description=f.describe.format(n=n),
                )
            )
    return tuple(out)


def by_code() -> dict[str, Achievement]:
    return {a.code: a for a in catalog()}


def earned(record: TraderRecord) -> list[Achievement]:
    """Every achievement the record meets."""
    return [a for a in catalog() if record.value(a.metric) >= a.threshold]


def newly_earned(record: TraderRecord, have: set[str]) -> list[Achievement]:
    """Achievements met now that the trader does not hold yet."""
    return [a for a in earned(record) if a.code not in have]


def next_targets(have: set[str]) -> list[Achievement]:
    """The lowest locked grade of each family: what to aim for next."""
    nearest: dict[str, Achievement] = {}
    for a in catalog():
        family = a.code.rsplit("_", 1)[0]
        if a.code not in have and (family not in nearest or a.rank < nearest[family].rank):
            nearest[family] = a
    return list(nearest.values())


def announcement(a: Achievement) -> str:
    """The Telegram message for a new achievement."""
    xp = f" (+{a.xp} XP)" if a.xp else ""
    return f"ACHIEVEMENT UNLOCKED: {a.name} - {a.grade}{xp}\n{a.description.capitalize()}."
