"""Linking a trader's MT5 account with proof: the broker checks the investor (read-only)
password; the password is used for that one call and never stored or logged."""

from __future__ import annotations

import re
from typing import Protocol

from bitten.domain.broker import AccountInfo, BrokerError, BrokerTimeout
from bitten.domain.trader import Trader
from bitten.ports import Broker, Clock, UnitOfWork

LOGIN = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class LinkDeps(Protocol):
    uow: UnitOfWork
    clock: Clock
    broker: Broker


class LinkRefused(Exception):
    """The account cannot be linked; the message says why in words for the trader."""


def link_account(trader: Trader, login: str, investor_password: str, deps: LinkDeps) -> AccountInfo:
    """Verify and link; raises LinkRefused (in use, open trades, bad login or password)."""
    if not LOGIN.match(login):
        raise LinkRefused("an MT5 login is letters and digits, like 51234567")
    _check_free(trader, login, deps)
    try:
        account = deps.broker.verify_account(login, investor_password)
    except BrokerTimeout as err:
        raise LinkRefused("the broker did not answer; try again in a minute") from err
    except BrokerError as err:
        raise LinkRefused(f"the broker could not verify it: {err}") from err
    now = deps.clock.now()
    with deps.uow() as repos:
        if not repos.traders.link_account(trader.id, login, account.demo, account.currency, now):
            raise LinkRefused(in_use(login))
        repos.trace.stamp("account_linked", now, trader_id=trader.id, login=login)
    return account


def in_use(login: str) -> str:
    return (
        f"account {login} is already linked to another BITTEN trader. If it is yours, "
        "/disconnect it there first"
    )


def _check_free(trader: Trader, login: str, deps: LinkDeps) -> None:
    with deps.uow() as repos:
        holder = repos.traders.by_login(login)
        busy = repos.traders.open_trades(trader.id)
    if holder is not None and holder.id != trader.id:
        raise LinkRefused(in_use(login))
    if busy and trader.broker_login not in (None, login):
        raise LinkRefused(
            f"you have {busy} open trade(s) on {trader.broker_login}; close them first"
        )


def unlink_account(trader: Trader, deps: LinkDeps) -> str:
    """Remove the link (no open trades allowed); returns the login that was linked."""
    if trader.broker_login is None:
        raise LinkRefused("no account is linked")
    with deps.uow() as repos:
        busy = repos.traders.open_trades(trader.id)
        if busy:
            raise LinkRefused(f"{busy} trade(s) are still open on {trader.broker_login}")
        login = repos.traders.unlink_account(trader.id) or trader.broker_login
        repos.trace.stamp("account_unlinked", deps.clock.now(), trader_id=trader.id, login=login)
    return login
