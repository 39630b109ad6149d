"""VENOM's setups (one fade rule in two quiet sessions) and the profiles that say which pairs
trade which setup: v5 as chosen on development data, and the live profile, which keeps v4's
ground until an engine passes its reserved look (docs/venom.md, "v5" and "What runs live")."""

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


@dataclass(frozen=True)
class Profile:
    """Which setups run, and on which pairs (None: every pair of the setups' families)."""

    name: str
    setups: tuple[str, ...]
    pairs: frozenset[str] | None = None


SETUPS: tuple[Setup, ...] = (
    # The v4 fade: Tokyo and Sydney before London.
    Setup("asian_fade", (23, 0, 1, 2, 3, 4, 5), frozenset({"usd_majors", "jpy_crosses"})),
    # After the London close, before the New York roll.
    Setup("late_fade", (17, 18, 19), frozenset({"usd_majors", "eur_gbp_crosses"})),
)


# v4's pairs: profitable on 2017H1 in look 4 (USDCAD lost in every look, gold traded once).
V4_EARNED = frozenset({"AUDUSD", "EURUSD", "GBPUSD", "USDJPY"})
# v5 failed its one reserved look (2017Q2: PF 0.99), so live stays on v4's ground: its Asian
# fade on the pairs it earned, at its 6-spread filter (venom.DEFAULT).
LIVE = Profile("v4-earned", ("asian_fade",), V4_EARNED)
V5 = Profile("v5", ("asian_fade", "late_fade"))


def setups_for(pair: str, profile: Profile = LIVE) -> tuple[Setup, ...]:
    """The setups that trade this pair under `profile` (none: VENOM leaves it alone)."""
    if profile.pairs is not None and pair not in profile.pairs:
        return ()
    family = family_of(pair)
    return tuple(s for s in SETUPS if s.name in profile.setups and family in s.families)


def setup_by_hour(pair: str, profile: Profile = LIVE) -> tuple[int, ...]:
    """For each UTC hour, 1 + the index in SETUPS of the setup trading it here (0 = none)."""
    out = [0] * 24
    for s in setups_for(pair, profile):
        for h in s.hours:
            out[h] = SETUPS.index(s) + 1
    return tuple(out)
