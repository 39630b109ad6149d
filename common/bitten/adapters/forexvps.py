"""The ForexVPS REST API (docs/forexvps-api.md): ForexVpsBroker, the Broker port
(BrokerMarketFeed in adapters.broker_feed reads the terminal's M1 rates through it)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bitten.domain.broker import (
    AccountInfo,
    Bar,
    BrokerBusy,
    BrokerError,
    BrokerTimeout,
    BrokerUnavailable,
    ClosedDeal,
    Deal,
    Heartbeat,
    OrderRequest,
    OrderResult,
    Position,
    TerminalStatus,
)
from bitten.domain.instruments import SymbolSpec

if TYPE_CHECKING:
    import httpx

    from bitten.strategy.candles import Candles

PRICE_COLUMNS = ("open", "high", "low", "close")
NOT_SENT_CODES = {"terminal_timeout", "terminal_offline"}  # the gateway's word: not sent
BATCH = 500  # logins per POST /accounts/query


class ForexVpsError(BrokerError):
    """The API answered with an error; `status` is the HTTP status, `code` its error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"ForexVPS {status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


def _error_of(resp: httpx.Response) -> ForexVpsError:
    """The server's JSON error, or the raw status when the body is not ours."""
    try:
        body = resp.json()
        return ForexVpsError(resp.status_code, str(body["error"]), str(body.get("message", "")))
    except (ValueError, KeyError, TypeError):
        return ForexVpsError(resp.status_code, "http_error", resp.text[:200] or resp.reason_phrase)


def _retry_after(resp: httpx.Response) -> float:
    """Seconds a 429 asks us to wait (Retry-After in seconds; 1 when absent or unreadable)."""
    try:
        return max(0.0, float(resp.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def _path(*parts: str) -> str:
    return "/v1/" + "/".join(quote(p, safe="") for p in parts)


class ForexVpsBroker:
    """HTTP client for hosted MT5 terminals; one lazily created httpx.Client.

    send_order: a timeout, a lost connection or a 5xx means the outcome is UNKNOWN and
    raises BrokerTimeout (reconcile with find_order). Other calls: timeouts raise
    BrokerTimeout, other failures BrokerError.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 5.0) -> None:
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        self._token = token
        self._http: httpx.Client | None = None

    def _client(self) -> httpx.Client:
        if self._http is None:
            import httpx

            self._http = httpx.Client(
                base_url=self.base_url,
                timeout=self.timeout,
                headers={"Authorization": f"Bearer {self._token}", "Accept": "application/json"},
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> ForexVpsBroker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(
        self, method: str, path: str, *, unknown_outcome: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """One request; transport failures become BrokerTimeout/BrokerError, status is kept.
        A connection that was never made sent nothing: BrokerUnavailable."""
        import httpx

        try:
            return self._client().request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            detail = f"ForexVPS {method} {path}: not connected ({type(exc).__name__}: {exc})"
            raise BrokerUnavailable(detail) from exc
        except httpx.TimeoutException as exc:
            raise BrokerTimeout(f"ForexVPS {method} {path}: no answer in {self.timeout}s") from exc
        except httpx.TransportError as exc:
            detail = f"ForexVPS {method} {path}: {type(exc).__name__}: {exc}"
            raise (BrokerTimeout if unknown_outcome else BrokerError)(detail) from exc

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = self._call(method, path, **kwargs)
        if resp.status_code >= 400:
            raise _error_of(resp)
        return resp.json()

    def account_info(self, login: str) -> AccountInfo:
        return AccountInfo.model_validate(self._json("GET", _path("accounts", login)))

    def symbol_spec(self, login: str, symbol: str) -> SymbolSpec:
        body = self._json("GET", _path("accounts", login, "symbols", symbol.upper()))
        return SymbolSpec.model_validate(body)

    def send_order(self, login: str, order: OrderRequest) -> OrderResult:
        """Send a market order. BrokerTimeout when we cannot know whether it executed;
        BrokerUnavailable (BrokerBusy for a 429) when the gateway says nothing was sent."""
        path = _path("accounts", login, "orders")
        resp = self._call("POST", path, json=order.model_dump(mode="json"), unknown_outcome=True)
        if resp.status_code == 429:
            raise BrokerBusy(str(_error_of(resp)), _retry_after(resp))
        if resp.status_code >= 500:
            err = _error_of(resp)
            if err.code in NOT_SENT_CODES:
                raise BrokerUnavailable(f"not sent: {err}")
            raise BrokerTimeout(f"outcome unknown: {err}")
        if resp.status_code >= 400:
            raise _error_of(resp)
        return OrderResult.model_validate(resp.json())

    def accounts(self, logins: list[str]) -> list[AccountInfo]:
        """Many accounts in a few calls (500 logins each); unknown logins are left out."""
        found: list[AccountInfo] = []
        for i in range(0, len(logins), BATCH):
            body = self._json(
                "POST", _path("accounts", "query"), json={"logins": logins[i : i + BATCH]}
            )
            found += [AccountInfo.model_validate(a) for a in body["accounts"]]
        return found

    def terminal_status(self, login: str) -> TerminalStatus:
        """The account's hosted terminal: connected, its last heartbeat and tick."""
        return TerminalStatus.model_validate(
            self._json("GET", _path("accounts", login, "terminal"))
        )

    def position_deals(self, login: str, position: int) -> list[Deal]:
        """Every deal of one position (the `in` that opened it, the `out` that closed it)."""
        path = _path("accounts", login, "deals")
        body = self._json("GET", path, params={"position": position})
        return [Deal.model_validate(d) for d in body["deals"]]

    def find_order(self, login: str, client_id: str) -> OrderResult | None:
        """The executed order carrying `client_id`, or None when the terminal has none."""
        path = _path("accounts", login, "orders")
        resp = self._call("GET", path, params={"client_id": client_id})
        if resp.status_code == 404 and _error_of(resp).code == "order_not_found":
            return None
        if resp.status_code >= 400:
            raise _error_of(resp)
        return OrderResult.model_validate(resp.json())

    def positions(self, login: str) -> list[Position]:
        body = self._json("GET", _path("accounts", login, "positions"))
        return [Position.model_validate(p) for p in body["positions"]]

    def closed_deals(self, login: str, since: datetime) -> list[ClosedDeal]:
        """Exit deals at or after `since` (naive = UTC)."""
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
        path = _path("accounts", login, "deals")
        body = self._json("GET", path, params={"from": since.isoformat()})
        return [ClosedDeal.model_validate(d) for d in body["deals"]]

    def heartbeat(self) -> Heartbeat:
        """Terminal status with round-trip latency; connected=False when unreachable."""
        started = time.perf_counter()
        try:
            body = self._json("GET", _path("terminal", "heartbeat"))
        except ForexVpsError:
            raise  # the terminal answered: a wrong token must stay loud
        except (BrokerTimeout, BrokerError):
            return Heartbeat(connected=False, server_time=datetime.now(UTC))
        latency_ms = (time.perf_counter() - started) * 1000
        return Heartbeat.model_validate({**body, "latency_ms": round(latency_ms, 3)})

    def open_demo_account(self, name: str, balance: Decimal, currency: str = "USD") -> AccountInfo:
        """Open a demo (PRESS PASS) account; the answer carries its new login."""
        payload = {"name": name, "balance": str(balance), "currency": currency}
        return AccountInfo.model_validate(self._json("POST", _path("accounts"), json=payload))

    def verify_account(self, login: str, investor_password: str) -> AccountInfo:
        """The account, if `investor_password` is its investor (read-only) password; a 403
        invalid_password ForexVpsError otherwise. The password is sent once, never kept."""
        body = {"investor_password": investor_password}
        return AccountInfo.model_validate(
            self._json("POST", _path("accounts", login, "verify"), json=body)
        )

    def bars(self, symbol: str, count: int) -> list[Bar]:
        """The last `count` closed M1 bid bars, exact decimals (no numpy: the HUD chart)."""
        body = self._json("GET", _path("symbols", symbol.upper(), "rates"), params={"count": count})
        try:
            rows = zip(body["time"], *(body[k] for k in PRICE_COLUMNS), strict=True)
            return [
                Bar(time=t, open=Decimal(o), high=Decimal(h), low=Decimal(lo), close=Decimal(c))
                for t, o, h, lo, c in rows
            ]
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise BrokerError(f"ForexVPS rates for {symbol}: malformed answer ({exc})") from exc

    def symbols(self) -> list[str]:
        """Every symbol the terminal quotes."""
        return [str(x) for x in self._json("GET", _path("symbols"))["symbols"]]

    def rates(self, symbol: str, count: int, after_open: int | None = None) -> Candles:
        """The last `count` closed M1 bid bars of `symbol`, oldest first; with `after_open`
        (epoch seconds) only the bars opened strictly after it."""
        import numpy as np

        from bitten.strategy.candles import Candles

        params = {"count": count} if after_open is None else {"count": count, "from": after_open}
        body = self._json("GET", _path("symbols", symbol.upper(), "rates"), params=params)
        try:
            time_s = np.asarray(body["time"], dtype=np.int64)
            prices = [np.asarray(body[k], dtype=np.float64) for k in PRICE_COLUMNS]
        except (KeyError, TypeError, ValueError) as exc:
            raise BrokerError(f"ForexVPS rates for {symbol}: malformed answer ({exc})") from exc
        if any(p.shape != time_s.shape for p in prices) or np.any(np.diff(time_s) <= 0):
            raise BrokerError(f"ForexVPS rates for {symbol}: columns differ or times not rising")
        return Candles(symbol.upper(), time_s, *prices)
