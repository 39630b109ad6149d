"""VENOM v5's setups: one fade rule, two quiet sessions, each traded only by the instrument
families where it passed on development data (docs/venom.md, "v5")."""

from __future__ import annotations

from dataclasses import dataclass

from bitten.domain.instruments import split_symbol

FAMILIES = ("usd_majors", "jpy_crosses", "eur_gbp_crosses", "commodity_crosses", "gold")


def family_of(pair: str) -> str:
    """USD majors, JPY crosses, EUR/GBP crosses, commodity (AUD/NZD/CAD/CHF) crosses, gold."""
    base, quote = split_symbol(pair)
    if "XAU" in (base, quote):
        return "gold"
    if "USD" in (base, quote):
        return "usd_majors"
    if "JPY" in (base, quote):
        return "jpy_crosses"
    return "eur_gbp_crosses" if base in ("EUR", "GBP") else "commodity_crosses"


@dataclass(frozen=True)
class Setup:
    """A named session of the fade rule and the families it trades."""

    name: str
    hours: tuple[int, ...]  # UTC hours in which a signal may fire
    families: frozenset[str]


SETUPS: tuple[Setup, ...] = (
    # The v4 fade: Tokyo and Sydney before London.
    Setup("asian_fade", (23, 0, 1, 2, 3, 4, 5), frozenset({"usd_majors", "jpy_crosses"})),
    # After the London close, before the New York roll.
    Setup("late_fade", (17, 18, 19), frozenset({"usd_majors", "eur_gbp_crosses"})),
)


def setups_for(pair: str) -> tuple[Setup, ...]:
    """The setups that trade this pair (none: VENOM leaves it alone)."""
    family = family_of(pair)
    return tuple(s for s in SETUPS if family in s.families)


def setup_by_hour(pair: str) -> tuple[int, ...]:
    """For each UTC hour, 1 + the index in SETUPS of the setup trading it here (0 = none)."""
    out = [0] * 24
    for s in setups_for(pair):
        for h in s.hours:
            out[h] = SETUPS.index(s) + 1
    return tuple(out)
