"""The bot, one update at a time through the same handler the webhook and polling use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bitten.domain.tiers import Tier
from bitten.services.bot.commands import MENU, publish_menu
from bitten.services.bot.updates import handle_update
from factories import (
    add_mission,
    add_trader,
    alerted_mission,
    closed_trade,
    fire_mission,
    press_update,
    text_update,
)

NEW_USER = 4242
SECRET = "inv-Pa55word"


def say(world, telegram_id: int, text: str, message_id: int = 1, **user) -> str:
    return handle_update(text_update(telegram_id, text, message_id, **user), world.bot_deps())


def last_text(world, telegram_id: int) -> str:
    return world.notifier.messages_to(telegram_id)[-1]["text"]


def test_the_menu_lists_every_command():
    from bitten.adapters.telegram_fakes import RecordingNotifier

    notifier = RecordingNotifier()
    publish_menu(notifier)
    assert set(notifier.commands) == {
        "start",
        "connect",
        "status",
        "missions",
        "positions",
        "history",
        "tier",
        "me",
        "notebook",
        "disconnect",
        "help",
        *("xp", "plan", "drill", "shop", "achievements", "refer"),  # issue 12
    }
    assert all(1 <= len(text) <= 256 for text in MENU.values())


def test_start_opens_a_demo_account_and_offers_the_war_room(world):
    assert say(world, NEW_USER, "/start") == "registered"
    (welcome,) = world.notifier.messages_to(NEW_USER)
    assert "PRESS PASS demo account" in welcome["text"] and "$10,000.00" in welcome["text"]
    assert welcome["buttons"][0][0].web_app_url == "http://hud.test/me"
    assert say(world, NEW_USER, "/start") == "welcome_back"


def test_a_referral_code_credits_the_referrer_once(world):
    referrer = add_trader(world)
    say(world, NEW_USER, f"/start {referrer.referral_code}")
    say(world, NEW_USER, "/start SOMEONE-ELSE")
    with world.uow() as repos:
        assert repos.traders.referrals(referrer.id) == 1


def test_user_data_is_escaped(world):
    say(world, NEW_USER, "/start", first_name="<b>Eve</b>")
    assert "&lt;b&gt;Eve&lt;/b&gt;" in last_text(world, NEW_USER)


def test_connect_links_an_account_with_its_investor_password_and_forgets_it(world):
    # Given a registered trader and a live account whose investor password they know
    say(world, NEW_USER, "/start")
    live = world.broker.book.add_account(Decimal(25000), demo=False, investor_password=SECRET)
    # When they send /connect with it
    outcome = say(world, NEW_USER, f"/connect {live.login} {SECRET}", message_id=7)
    # Then the account is linked, the message carrying the password is deleted
    assert outcome == "linked"
    assert (NEW_USER, 7) in world.notifier.deleted
    assert "Linked live account" in last_text(world, NEW_USER) and "/tier" in last_text(
        world, NEW_USER
    )
    (row,) = world.rows("SELECT login, demo FROM broker_accounts")
    assert row == {"login": live.login, "demo": False}
    # And the password is nowhere in Postgres
    dump = str(world.rows("SELECT * FROM traders")) + str(world.rows("SELECT * FROM trace_events"))
    dump += str(world.rows("SELECT * FROM broker_accounts"))
    assert SECRET not in dump


def test_connect_with_a_wrong_password_links_nothing(world):
    say(world, NEW_USER, "/start")
    live = world.broker.book.add_account(Decimal(25000), demo=False, investor_password=SECRET)
    assert say(world, NEW_USER, f"/connect {live.login} guess", message_id=9) == "refused"
    assert (NEW_USER, 9) in world.notifier.deleted
    assert "does not match" in last_text(world, NEW_USER)
    assert world.rows("SELECT login FROM broker_accounts")[0]["login"] != live.login


def test_connect_to_a_login_someone_else_linked_is_refused_clearly(world):
    holder = add_trader(world, investor_password=SECRET)
    say(world, NEW_USER, "/start")
    assert say(world, NEW_USER, f"/connect {holder.broker_login} {SECRET}") == "refused"
    assert "already linked to another BITTEN trader" in last_text(world, NEW_USER)


def test_relinking_with_an_open_trade_is_refused_and_unlinking_works(world):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    fire_mission(world, mission)
    other = world.broker.book.add_account(Decimal(5000), demo=True, investor_password=SECRET)
    assert say(world, trader.telegram_id, f"/connect {other.login} {SECRET}") == "refused"
    assert "open trade" in last_text(world, trader.telegram_id)
    assert say(world, trader.telegram_id, "/disconnect") == "refused"
    free = add_trader(world)
    assert say(world, free.telegram_id, "/disconnect") == "unlinked"
    assert world.rows("SELECT 1 FROM broker_accounts WHERE trader_id = %s", free.id) == []


def test_connect_without_a_password_explains_how(world):
    say(world, NEW_USER, "/start")
    assert say(world, NEW_USER, "/connect 123") == "usage"
    assert "investor password" in last_text(world, NEW_USER).lower()


def test_status_shows_tier_limits_money_trades_xp_and_the_terminal(world):
    trader = add_trader(world, Tier.NIBBLER)
    assert say(world, trader.telegram_id, "/status") == "status"
    text = last_text(world, trader.telegram_id)
    assert "<b>NIBBLER</b>: live account, 1 open trade" in text
    assert "balance $10,000.00 · equity $10,000.00" in text
    assert "Open trades 0 · XP 0" in text and "🟢 online" in text


def test_missions_lists_open_ones_with_countdown_and_fire(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    world.clock.advance(timedelta(minutes=3))
    say(world, trader.telegram_id, "/missions")
    (shown,) = world.notifier.messages_to(trader.telegram_id)
    assert "EURUSD BUY</b> 0.10 lots @ ~1.10000" in shown["text"] and "7m 00s left" in shown["text"]
    fire, hud = shown["buttons"][0]
    assert fire.callback_data == f"fire:{mission.id}" and hud.web_app_url.endswith(str(mission.id))


def test_positions_show_live_pnl(world):
    trader = add_trader(world)
    fire_mission(world, alerted_mission(world, trader))
    say(world, trader.telegram_id, "/positions")
    text = last_text(world, trader.telegram_id)
    assert "EURUSD BUY</b> 0.10 @ 1.10010 → 1.10000 · -1.0 pips · -$1.00" in text
    assert "Floating P&amp;L -$1.00" in text


def test_history_shows_closed_trades_with_totals(world):
    trader = add_trader(world)
    closed_trade(world, trader, "1.10200", profit="19.20")
    say(world, trader.telegram_id, "/history")
    text = last_text(world, trader.telegram_id)
    assert "EURUSD BUY</b> +19.0 pips · +$19.20" in text
    assert "All 1 trades: +19.0 pips · +$19.20 · win rate 100.0%" in text


def test_a_fire_press_takes_the_fire_button_off_the_alert(world):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    update = press_update(trader.telegram_id, f"fire:{mission.id}")
    assert handle_update(update, world.bot_deps()) == "fire_requested"
    edit = world.notifier.edits[-1]
    assert edit["text"].startswith("🚀 <b>FIRED · EURUSD BUY</b>")
    assert [b.text for b in edit["buttons"][0]] == ["HUD"]


@pytest.mark.parametrize("command", ["/me", "/notebook"])
def test_page_commands_open_the_mini_app(world, command):
    trader = add_trader(world)
    say(world, trader.telegram_id, command)
    (message,) = world.notifier.messages_to(trader.telegram_id)
    assert message["buttons"][0][0].web_app_url == f"http://hud.test{command}"


def test_an_unknown_text_gets_the_help(world):
    trader = add_trader(world)
    assert say(world, trader.telegram_id, "hello?") == "help"
    assert "/tier" in last_text(world, trader.telegram_id)


def test_throne_opens_the_commander_throne_for_an_operator_only(world, settings):
    # Given an operator (listed in OPERATOR_TELEGRAM_IDS) and a trader
    operator, trader = add_trader(world), add_trader(world)
    world.settings = settings.model_copy(
        update={"operator_telegram_ids": str(operator.telegram_id)}
    )
    # When each sends /throne
    assert say(world, operator.telegram_id, "/throne") == "throne"
    assert say(world, trader.telegram_id, "/throne") == "help"
    # Then the operator gets the status with the Mini App button, the trader the help
    (opened,) = world.notifier.messages_to(operator.telegram_id)
    assert "COMMANDER THRONE" in opened["text"]
    assert opened["buttons"][0][0].web_app_url == "http://hud.test/throne"
    assert "/tier" in last_text(world, trader.telegram_id)
    assert "throne" not in MENU
