"""The ForexVPS routes the trader's side uses, over HTTP against the paper broker: account
verification with the investor password, live P&L on positions, chart bars."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from bitten.adapters.clock import VirtualClock
from bitten.adapters.forexvps import ForexVpsBroker, ForexVpsError
from bitten.domain.broker import OrderRequest
from bitten.local.paper import PaperBrokerServer
from factories import T0, market

TOKEN = "paper-token"


@pytest.fixture
def broker() -> Iterator[tuple[ForexVpsBroker, PaperBrokerServer]]:
    with PaperBrokerServer(market(), VirtualClock(T0), token=TOKEN) as server:
        with ForexVpsBroker(server.base_url, TOKEN) as client:
            yield client, server


def test_the_investor_password_proves_the_account(broker):
    client, server = broker
    account = server.book.add_account(Decimal(5000), demo=False, investor_password="inv-1")
    assert client.verify_account(account.login, "inv-1").balance == Decimal("5000.00")
    with pytest.raises(ForexVpsError) as wrong:
        client.verify_account(account.login, "guess")
    assert (wrong.value.status, wrong.value.code) == (403, "invalid_password")
    with pytest.raises(ForexVpsError) as unknown:
        client.verify_account("999", "inv-1")
    assert unknown.value.code == "unknown_account"


def test_an_account_without_an_investor_password_cannot_be_proved(broker):
    client, server = broker
    account = server.book.add_account(Decimal(5000))
    with pytest.raises(ForexVpsError, match="invalid_password"):
        client.verify_account(account.login, "")


def test_positions_carry_floating_profit_and_the_closing_price(broker):
    client, server = broker
    login = server.book.add_account(Decimal(5000)).login
    order = OrderRequest(
        client_id="m-1",
        symbol="EURUSD",
        side="buy",
        volume=Decimal("0.10"),
        sl=Decimal("1.09000"),
        tp=Decimal("1.11000"),
    )
    client.send_order(login, order)
    (position,) = client.positions(login)
    assert (position.price_current, position.profit) == (Decimal("1.10000"), Decimal("-1.00"))


def test_bars_come_as_exact_decimals_at_the_symbols_digits(broker):
    client, _ = broker
    bars = client.bars("USDJPY", 3)
    assert len(bars) == 3 and bars[-1].close == Decimal("150.000")
    assert bars[-1].time < int(T0.timestamp())
