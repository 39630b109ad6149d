"""Tier rules: PRESS PASS demo only; NIBBLER 1, FANG 2 open trades; COMMANDER unlimited."""

from __future__ import annotations

import pytest

from bitten.domain.tiers import Tier, TierViolation, check_can_open


def test_press_pass_trades_on_a_demo_account():
    check_can_open(Tier.PRESS_PASS, demo_account=True, open_trades=5)  # no limit on demo


def test_press_pass_on_a_live_account_is_refused_with_the_reason():
    with pytest.raises(TierViolation, match="PRESS PASS trades on a demo account only"):
        check_can_open(Tier.PRESS_PASS, demo_account=False, open_trades=0)


def test_press_pass_read_back_as_its_stored_name_is_still_demo_only():
    # Given the tier as Postgres stores it (a plain string)
    with pytest.raises(TierViolation):
        check_can_open("PRESS_PASS", demo_account=False, open_trades=0)  # type: ignore[arg-type]


@pytest.mark.parametrize(("tier", "limit"), [(Tier.NIBBLER, 1), (Tier.FANG, 2)])
def test_limited_tiers_open_up_to_their_limit(tier: Tier, limit: int):
    # Given one trade fewer than the limit is open, another may open (live account)
    check_can_open(tier, demo_account=False, open_trades=limit - 1)


def test_nibbler_with_one_open_trade_is_refused():
    with pytest.raises(TierViolation, match="NIBBLER allows 1 open trade;"):
        check_can_open(Tier.NIBBLER, demo_account=False, open_trades=1)


def test_fang_with_two_open_trades_is_refused():
    with pytest.raises(TierViolation, match="FANG allows 2 open trades; close one or upgrade"):
        check_can_open(Tier.FANG, demo_account=True, open_trades=2)


def test_commander_is_unlimited_on_live_accounts():
    check_can_open(Tier.COMMANDER, demo_account=False, open_trades=250)
