"""The game's bot commands (issue 12): /xp /plan /drill /shop /achievements /refer."""

from __future__ import annotations

from factories import add_trader
from game_factories import grant_xp, last_text, say


def test_plan_shows_todays_budget_and_picks_only_unlocked_plans(world):
    trader = add_trader(world)
    grant_xp(world, trader, 130)
    assert say(world, trader.telegram_id, "/plan") == "plan"
    shown = last_text(world, trader.telegram_id)
    assert shown.startswith(
        "Plan LONE_WOLF: two careful shots at the standard risk\n"
        "Shots 0 of 2 today (resets 18:00 UTC)"
    )
    assert "- DOUBLE_TAP (unlocks at 240 XP earned)" in shown
    assert say(world, trader.telegram_id, "/plan double_tap") == "plan_refused"
    assert say(world, trader.telegram_id, "/plan first_blood") == "plan_chosen"
    assert last_text(world, trader.telegram_id) == "Plan FIRST_BLOOD from now."
    say(world, trader.telegram_id, "/status")
    assert last_text(world, trader.telegram_id).endswith(
        "Plan FIRST_BLOOD: 0 of 4 shots used today (resets 18:00 UTC)"
    )


def test_xp_shop_and_achievements_answer_with_the_traders_figures(world):
    trader = add_trader(world)
    grant_xp(world, trader, 160)
    say(world, trader.telegram_id, "/xp")
    assert last_text(world, trader.telegram_id).startswith("XP 160 (earned 160, this season 0)")
    assert say(world, trader.telegram_id, "/shop buy streak_shield") == "bought"
    assert last_text(world, trader.telegram_id) == (
        "Bought Streak shield for 150 XP. Balance 10 XP."
    )
    assert say(world, trader.telegram_id, "/shop buy streak_shield") == "purchase_refused"
    say(world, trader.telegram_id, "/shop")
    assert "streak_shield: Streak shield, 150 XP (held 1)" in last_text(world, trader.telegram_id)
    say(world, trader.telegram_id, "/achievements")
    assert last_text(world, trader.telegram_id).startswith("ACHIEVEMENTS: 0 unlocked\nNext:\n")


def test_drill_sets_the_zone_and_refer_gives_the_code(world):
    trader = add_trader(world)
    assert say(world, trader.telegram_id, "/drill tz Atlantis/Capital") == "zone_refused"
    assert say(world, trader.telegram_id, "/drill tz America/Chicago") == "zone_set"
    assert say(world, trader.telegram_id, "/drill") == "no_drill"
    say(world, trader.telegram_id, "/refer")
    text = last_text(world, trader.telegram_id)
    assert text.startswith("Rank RECRUIT: 0 active recruit(s), 0 waiting for their first shot")
    assert f"https://t.me/bitten_local_bot?start={trader.referral_code}" in text


def test_help_lists_the_game_commands(world):
    say(world, 777, "/nonsense")
    assert "/plan – Today's tactical plan, or pick one: /plan [NAME]" in last_text(world, 777)
