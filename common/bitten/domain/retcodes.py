"""MT5 trade-server return codes (MqlTradeResult.retcode) and what each means for a fire."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """What a return code tells the fire: the one question is "can an order exist?"."""

    FILLED = "filled"  # executed
    RETRY = "retry"  # not executed, and sending the same request again is safe
    NOT_SENT = "not_sent"  # nothing reached the trade server: the trader may fire again
    REFUSED = "refused"  # not executed; sending it again would be refused again
    UNKNOWN = "unknown"  # may have executed: reconcile by client id, never resend


@dataclass(frozen=True)
class Retcode:
    code: int
    name: str
    meaning: str
    outcome: Outcome


_F, _R, _N, _X, _U = (
    Outcome.FILLED,
    Outcome.RETRY,
    Outcome.NOT_SENT,
    Outcome.REFUSED,
    Outcome.UNKNOWN,
)
_TABLE = [
    (10004, "REQUOTE", "Requote", _R),
    (10006, "REJECT", "Request rejected", _X),
    (10007, "CANCEL", "Request canceled by trader", _X),
    (10008, "PLACED", "Order placed", _F),
    (10009, "DONE", "Request completed", _F),
    (10010, "DONE_PARTIAL", "Only part of the request was completed", _F),
    (10011, "ERROR", "Request processing error", _U),
    (10012, "TIMEOUT", "Request canceled by timeout", _U),
    (10013, "INVALID", "Invalid request", _X),
    (10014, "INVALID_VOLUME", "Invalid volume in the request", _X),
    (10015, "INVALID_PRICE", "Invalid price in the request", _X),
    (10016, "INVALID_STOPS", "Invalid stops in the request", _X),
    (10017, "TRADE_DISABLED", "Trade is disabled", _X),
    (10018, "MARKET_CLOSED", "Market is closed", _X),
    (10019, "NO_MONEY", "There is not enough money to complete the request", _X),
    (10020, "PRICE_CHANGED", "Prices changed", _R),
    (10021, "PRICE_OFF", "There are no quotes to process the request", _R),
    (10022, "INVALID_EXPIRATION", "Invalid order expiration date in the request", _X),
    (10023, "ORDER_CHANGED", "Order state changed", _X),
    (10024, "TOO_MANY_REQUESTS", "Too frequent requests", _R),
    (10025, "NO_CHANGES", "No changes in request", _X),
    (10026, "SERVER_DISABLES_AT", "Autotrading disabled by server", _X),
    (10027, "CLIENT_DISABLES_AT", "Autotrading disabled by client terminal", _N),
    (10028, "LOCKED", "Request locked for processing", _U),
    (10029, "FROZEN", "Order or position frozen", _X),
    (10030, "INVALID_FILL", "Invalid order filling type", _X),
    (10031, "CONNECTION", "No connection with the trade server", _N),
    (10032, "ONLY_REAL", "Operation is allowed only for live accounts", _X),
    (10033, "LIMIT_ORDERS", "The number of pending orders has reached the limit", _X),
    (10034, "LIMIT_VOLUME", "The volume of orders and positions has reached the limit", _X),
    (10035, "INVALID_ORDER", "Incorrect or prohibited order type", _X),
    (10036, "POSITION_CLOSED", "Position with the specified identifier already closed", _X),
    (10038, "INVALID_CLOSE_VOLUME", "A close volume exceeds the current position volume", _X),
    (10039, "CLOSE_ORDER_EXIST", "A close order already exists for this position", _X),
    (10040, "LIMIT_POSITIONS", "The number of open positions has reached the limit", _X),
    (10041, "REJECT_CANCEL", "The pending order activation request is rejected", _X),
    (10042, "LONG_ONLY", "Only long positions are allowed for this symbol", _X),
    (10043, "SHORT_ONLY", "Only short positions are allowed for this symbol", _X),
    (10044, "CLOSE_ONLY", "Only position closing is allowed for this symbol", _X),
    (10045, "FIFO_CLOSE", "Position closing is allowed only by the FIFO rule", _X),
    # Negative: the gateway passed the request to the terminal and lost track of it
    # (the MetaTrader5 package's last_error codes). The order may exist.
    (-10000, "INTERNAL_FAIL", "Gateway internal failure after the request was passed on", _U),
    (-10001, "INTERNAL_FAIL_SEND", "Sending the request to the terminal failed midway", _U),
    (-10002, "INTERNAL_FAIL_RECEIVE", "The terminal's answer was lost", _U),
    (-10005, "INTERNAL_FAIL_TIMEOUT", "The terminal did not answer in time", _U),
]
RETCODES: dict[int, Retcode] = {c: Retcode(c, n, m, o) for c, n, m, o in _TABLE}


def outcome_of(retcode: int) -> Outcome:
    """Outcome of a return code; an unlisted negative one is unknown, any other refused."""
    known = RETCODES.get(retcode)
    if known is not None:
        return known.outcome
    return Outcome.UNKNOWN if retcode < 0 else Outcome.REFUSED


def retcode_text(retcode: int, detail: str = "") -> str:
    """MT5 wording of a retcode, with a detail appended."""
    known = RETCODES.get(retcode)
    text = known.meaning if known else f"retcode {retcode}"
    return f"{text}: {detail}" if detail else text
