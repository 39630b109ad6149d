"""One message per mission: the personal alert is edited in place as the mission moves.

The card is rendered from what Postgres holds (mission, fire, position), so showing it again
is harmless; fills and closes also get a short notification, claimed once per stage. When
the lanes are busy with fresh alerts the card stays behind and `refresh_lagging_cards`
(trader_upkeep, every minute) catches it up.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from bitten import logs
from bitten.domain.outcome import NOTIFY, AlertMessage, CardState, card_state
from bitten.domain.pacing import Priority
from bitten.ports import Button, Clock, Notifier, Outgoing, UnitOfWork
from bitten.services.alert_text import card_buttons, card_text, notice_text

log = logs.get("mission_updates")


class CardDeps(Protocol):
    """What showing a mission's outcome needs (fire execution, result sync, bot, upkeep)."""

    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    hud_base_url: str


def show_mission(mission_id: UUID, deps: CardDeps, priority: Priority = Priority.RESULT) -> str:
    """Bring the mission's alert up to date: edited, noticed, deferred, unchanged or no_alert.

    Never raises for Telegram trouble: the outcome is already recorded, the card can wait.
    """
    try:
        return _show(mission_id, deps, priority)
    except Exception:  # noqa: BLE001 - a Telegram or render hiccup must not undo a recorded fill
        log.exception("could not update the alert", extra={"mission_id": mission_id})
        return "deferred"


def _show(mission_id: UUID, deps: CardDeps, priority: Priority) -> str:
    with deps.uow() as repos:
        alert = repos.alerts.get(mission_id)
        mission = repos.missions.get(mission_id)
        outcome = repos.journal.outcome(mission_id)
        signal = repos.signals.get(mission.signal_id) if mission else None
        trader = repos.traders.get(mission.trader_id) if mission else None
    if alert is None or alert.message_id is None or not (mission and signal and trader):
        return "no_alert"
    now = deps.clock.now()
    state = card_state(outcome, mission.expires_at, now) if outcome else CardState.OPEN
    currency = trader.account_currency
    result = "unchanged"
    if state != alert.shown:
        text = card_text(state, signal, mission, outcome, now, currency)
        buttons = card_buttons(state, mission, deps.hud_base_url)
        if not _edit(alert, text, buttons, priority, deps):
            return "deferred"
        result = "edited"
    noticed = None
    if outcome and state in NOTIFY and alert.noticed != state and _claim_notice(alert, state, deps):
        notice = Outgoing(
            chat_id=alert.chat_id,
            text=notice_text(state, signal, outcome, currency),
            priority=priority,
            reply_to=alert.message_id,
            html=True,
        )
        (sent,) = deps.notifier.deliver([notice])
        if sent.message_id is None:
            _unclaim(alert, deps)
        else:
            noticed, result = state, "noticed"
    with deps.uow() as repos:
        repos.alerts.mark_shown(mission_id, state, noticed, deps.clock.now())
    return result


def _edit(
    alert: AlertMessage,
    text: str,
    buttons: list[list[Button]] | None,
    priority: Priority,
    deps: CardDeps,
) -> bool:
    try:
        deps.notifier.edit_message(
            alert.chat_id, alert.message_id or 0, text, buttons, priority, html=True
        )
    except Exception as err:  # noqa: BLE001 - deferred, deleted by the user, or Telegram down
        if "not found" in str(err).lower():  # the trader deleted it: nothing left to edit
            return True
        log.info("alert edit deferred: %s", err, extra={"mission_id": alert.mission_id})
        return False
    return True


def _claim_notice(alert: AlertMessage, state: CardState, deps: CardDeps) -> bool:
    """Compare-and-set on `noticed`: two workers never both send the same notification."""
    with deps.uow() as repos:
        return repos.alerts.claim_notice(alert.mission_id, state, alert.noticed)


def _unclaim(alert: AlertMessage, deps: CardDeps) -> None:
    with deps.uow() as repos:
        repos.alerts.release_notice(alert.mission_id, alert.noticed)


def tell_outcome(deps: CardDeps, mission_id: UUID, chat_id: int, text: str) -> None:
    """Show a fill, rejection or close on the mission's alert card; a mission without a card
    (its alert was never sent) gets `text` as a message of its own. Never raises."""
    if show_mission(mission_id, deps) == "no_alert":
        send_note(deps, mission_id, chat_id, text)


def explain(deps: CardDeps, mission_id: UUID, chat_id: int, text: str) -> None:
    """Bring the card up to date and say why in a message of its own (a FIRE handed back or
    refused before sending: the card alone cannot tell the reason). Never raises."""
    show_mission(mission_id, deps)
    send_note(deps, mission_id, chat_id, text)


def send_note(deps: CardDeps, mission_id: UUID, chat_id: int, text: str) -> None:
    try:
        (sent,) = deps.notifier.deliver(
            [Outgoing(chat_id=chat_id, text=text, priority=Priority.RESULT)]
        )
    except Exception:  # noqa: BLE001 - best effort: the outcome is already recorded
        log.exception("could not notify trader", extra={"mission_id": mission_id})
        return
    if sent.message_id is None:
        log.warning("could not notify trader: %s", sent.detail, extra={"mission_id": mission_id})


def refresh_lagging_cards(deps: CardDeps, limit: int = 500) -> int:
    """Catch up every alert that shows an older stage than its mission is in."""
    with deps.uow() as repos:
        lagging = repos.alerts.lagging(deps.clock.now(), limit)
    return sum(show_mission(mission_id, deps) in ("edited", "noticed") for mission_id in lagging)
