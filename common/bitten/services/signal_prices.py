"""The broker prices one signal's fan-out needs, asked once per signal instead of per trader."""

from __future__ import annotations

from decimal import Decimal

from bitten.domain.instruments import (
    SymbolSpec,
    conversion_path,
    pip_value_per_lot,
    split_symbol,
)
from bitten.ports import Broker


class SignalPrices:
    """Symbol specs and conversion mids for one signal, cached across its traders.

    Specs are asked with the login of the trader being sized (the REST route is per
    account); a failed call is not cached, so the next trader asks again.
    """

    def __init__(self, broker: Broker, pair: str) -> None:
        self.broker, self.pair = broker, pair.upper()
        self._specs: dict[str, SymbolSpec] = {}
        self._symbols: list[str] | None = None
        self._rates: dict[str, dict[str, Decimal]] = {}
        self._pip_values: dict[str, Decimal] = {}

    def spec(self, login: str, symbol: str) -> SymbolSpec:
        """The broker's spec of `symbol` (one call per symbol per signal)."""
        if symbol not in self._specs:
            self._specs[symbol] = self.broker.symbol_spec(login, symbol)
        return self._specs[symbol]

    def conversion_rates(self, login: str, account: str) -> dict[str, Decimal]:
        """Mids of the symbols on the shortest chain from the pair's quote currency to
        `account` (GBPNZD in USD: GBPUSD); raises NoConversionRate when there is none."""
        base, quote = split_symbol(self.pair)
        if account in (base, quote):
            return {}
        if account not in self._rates:
            self._rates[account] = self._chain_mids(login, quote, account)
        return self._rates[account]

    def pip_value(self, login: str, account: str) -> Decimal:
        """Account-currency value of one pip on one lot of the signal's pair (once per currency)."""
        if account not in self._pip_values:
            spec = self.spec(login, self.pair)
            rates = self.conversion_rates(login, account)
            self._pip_values[account] = pip_value_per_lot(spec, account, rates)
        return self._pip_values[account]

    def _chain_mids(self, login: str, quote: str, account: str) -> dict[str, Decimal]:
        """Mids along the chain; a symbol the broker lists but does not price is routed around."""
        usable = {*self._quoted_symbols(), self.pair}
        while True:
            path = conversion_path(quote, account, usable, prefer={self.pair})
            mids = {s: self._mid(login, s) for s in path if s != self.pair}
            unpriced = {s for s, mid in mids.items() if mid is None}
            if not unpriced:
                return {s: mid for s, mid in mids.items() if mid is not None}
            usable -= unpriced

    def _quoted_symbols(self) -> list[str]:
        if self._symbols is None:
            self._symbols = [s.upper() for s in self.broker.symbols()]
        return self._symbols

    def _mid(self, login: str, symbol: str) -> Decimal | None:
        spec = self.spec(login, symbol)
        if spec.bid <= 0 or spec.ask <= 0:  # MT5 reports an unquoted symbol with zero prices
            return None
        return (spec.bid + spec.ask) / 2
