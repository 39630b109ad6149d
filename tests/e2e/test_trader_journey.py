"""A trader's whole journey on the local stack, through the Telegram emulator (limits on) and
the Mini App in headless Chromium: start, link an account with proof, pay for FANG in Stars,
get an alert, fire from the HUD, watch the fill and the close in the HUD and in the edited
alert, find the trade in /history and the Notebook, and write a note on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bitten import bootstrap
from bitten.adapters.clock import VirtualClock
from bitten.local.api_server import ApiServer
from bitten.local.demo.replay import set_webhook
from bitten.local.platform import LocalPlatform
from bitten.local.stack import LocalStack
from factories import T0, World, make_signal, market, store_signal

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no Debian chromium"),
]
ANA = 4242
PASSWORD = "inv-Ana-2024"


@dataclass
class Local:
    stack: LocalStack
    platform: LocalPlatform
    world: World

    @property
    def emulator(self):
        return self.stack.telegram

    def drain(self) -> None:
        self.platform.drain_queues(self.stack.aws.client("sqs"))

    def chat(self) -> list[dict]:
        assert self.emulator.flush(timeout=30), "webhook deliveries still pending"
        return self.emulator.messages_in(ANA)

    def say(self, text: str) -> dict:
        update = self.emulator.send_text(ANA, text)
        self.chat()
        return update


@pytest.fixture
def local(settings) -> Iterator[Local]:
    # The EURUSD target (1.10200) is touched by the bar opening at T0 + 5 minutes
    clock = VirtualClock(T0)
    bare = settings.model_copy(
        update={
            "telegram_bot_token": None,
            "hud_base_url": None,
            "api_port": 0,
            "bitten_stage": "journey",
        }
    )
    stack = LocalStack(bare, clock, market(EURUSD={T0 + timedelta(minutes=5): (1.1030, 1.1)}))
    live = stack.start()
    platform = LocalPlatform.build(live, clock)
    api = ApiServer(platform.api, live.api_host, live.api_port)
    try:
        set_webhook(stack, api.start())
        yield Local(stack, platform, World(live, clock, stack.paper))
    finally:
        api.stop()
        stack.stop()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright
    from test_hud_browser import FLAGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        tab = browser.new_page(viewport={"width": 420, "height": 900})
        tab.route("https://telegram.org/**", lambda route: route.abort())
        yield tab
        browser.close()


def wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.textContent || '').includes(t)",
        arg=[selector, text],
        timeout=20_000,
    )


def alert_of(chat: list[dict]) -> dict:
    return next(m for m in chat if "MISSION" in m.get("text", ""))


def start_link_and_pay(local: Local) -> None:
    """/start, /connect with the investor password, /tier -> buy FANG -> pay in Stars."""
    local.emulator.user(ANA, "Ana", "ana_fx")
    local.say("/start")
    assert "PRESS PASS demo account" in local.chat()[-1]["text"]
    live = local.stack.paper.book.add_account(
        Decimal(25000), demo=False, name="Ana", investor_password=PASSWORD
    )
    update = local.say(f"/connect {live.login} {PASSWORD}")
    assert local.emulator.message(ANA, update["message"]["message_id"]) is None  # deleted
    assert "Linked live account" in local.chat()[-1]["text"]
    local.say("/tier")
    tier_message = local.chat()[-1]
    local.emulator.press(ANA, tier_message["message_id"], "buy:FANG")
    invoice = next(m for m in reversed(local.chat()) if "invoice" in m)
    assert invoice["invoice"]["total_amount"] == 750
    assert local.emulator.pay(ANA, invoice["message_id"])["ok"] is True
    assert "FANG</b>" not in local.chat()[-1]["text"]  # plain text as the user sees it
    assert "FANG is active until" in local.chat()[-1]["text"]


def test_start_link_pay_alert_fire_fill_close_history_and_note(local, page):
    # Given a trader who started, linked a live account with proof and paid for FANG
    start_link_and_pay(local)
    assert local.world.rows("SELECT tier FROM traders") == [{"tier": "FANG"}]
    assert PASSWORD not in str(local.world.rows("SELECT * FROM broker_accounts"))
    # When VENOM signals EURUSD and the real fan-out and alert_dispatch run
    signal = store_signal(local.world, make_signal(created_at=T0, ttl_minutes=10))
    bootstrap.queue(local.platform.settings, "signals").send({"signal_id": str(signal.id)})
    local.drain()
    alert = alert_of(local.chat())
    buttons = [b for row in alert["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == ["FIRE", "HUD"] and "t=" not in buttons[1]["web_app"][
        "url"
    ]
    # And the trader opens the HUD from the alert and presses FIRE
    opened = local.emulator.open_web_app(ANA, alert["message_id"], "HUD")
    page.goto(opened["url"])
    page.wait_for_selector("#facts tr")
    assert "Risk\t$500.00 (2.00% of $25,000.00)" in page.inner_text("#facts")
    page.click("#fire")
    wait_text(page, "#msg", "FIRE received")
    local.drain()  # fire_execution at the paper broker
    # Then the HUD and the edited alert show the fill
    wait_text(page, "#fill", "Filled 5.00 lots @ 1.10010")
    edited = local.emulator.message(ANA, alert["message_id"])
    assert edited["text"].startswith("✅ FILLED · EURUSD BUY 5.00 lots @ 1.10010")
    # When the target is hit and result_sync runs
    local.platform.clock.advance(timedelta(minutes=7))
    local.platform.run_schedule("result_sync")
    # Then the HUD and the same alert message show the close, and a notice pinged the trader
    wait_text(page, "#closed", "Closed @ 1.10210 · target hit · +20.0 pips · +$1,000.00")
    closed = local.emulator.message(ANA, alert["message_id"])
    assert closed["text"].startswith("🏆 CLOSED · EURUSD BUY @ 1.10210")
    notices = [m for m in local.chat() if m.get("reply_to_message")]
    assert [n["text"][:8] for n in notices] == ["✅ FILLED", "🏆 CLOSED"]
    # And /history lists the trade, and the Notebook keeps a note on it
    local.say("/history")
    assert "EURUSD BUY +20.0 pips · +$1,000.00" in local.chat()[-1]["text"]
    local.say("/notebook")
    notebook = local.chat()[-1]
    page.goto(local.emulator.open_web_app(ANA, notebook["message_id"])["url"])
    page.fill(".trade textarea", "Waited for the retest; <b>patience</b> paid")
    page.click(".trade button")
    wait_text(page, "#msg", "Note saved.")
    page.reload()
    wait_text(page, ".trade .note", "Waited for the retest; <b>patience</b> paid")
