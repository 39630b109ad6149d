"""Referral ranks: military ranks by active recruits (codes and referrers: traders.referral_code,
traders.referred_by, set when a new trader's /start carries a code)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rank:
    name: str
    recruits: int  # active recruits needed


RANKS: tuple[Rank, ...] = (
    Rank("RECRUIT", 0),
    Rank("PRIVATE", 1),
    Rank("CORPORAL", 3),
    Rank("SERGEANT", 5),
    Rank("LIEUTENANT", 10),
    Rank("CAPTAIN", 25),
    Rank("MAJOR", 50),
    Rank("COLONEL", 100),
    Rank("GENERAL", 250),
)


def rank_for(active_recruits: int) -> Rank:
    """The highest rank the number of active recruits reaches."""
    return [r for r in RANKS if active_recruits >= r.recruits][-1]


def next_rank(active_recruits: int) -> Rank | None:
    return next((r for r in RANKS if r.recruits > active_recruits), None)
