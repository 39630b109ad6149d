"""Account snapshots (what fan-out sizes from) and the broker deals callbacks handled."""

from __future__ import annotations

from datetime import datetime

from bitten.adapters.postgres import Cursor
from bitten.domain.broker import AccountSnapshot

SNAPSHOT = (
    "login, currency, balance, equity, margin, margin_free, leverage, demo, trade_allowed, "
    "refreshed_at"
)


class PostgresAccountSnapshots:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def save_many(self, snapshots: list[AccountSnapshot]) -> None:
        """Upsert in one statement; an older read never overwrites a newer one."""
        if not snapshots:
            return
        rows = [
            (
                s.login,
                s.currency,
                s.balance,
                s.equity,
                s.margin,
                s.free,
                s.leverage,
                s.demo,
                s.trade_allowed,
                s.refreshed_at,
            )
            for s in snapshots
        ]
        types = "text,text,numeric,numeric,numeric,numeric,int,bool,bool,timestamptz".split(",")
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        self.cur.execute(
            f"INSERT INTO account_snapshots ({SNAPSHOT}) SELECT * FROM unnest({arrays}) "
            "ON CONFLICT (login) DO UPDATE SET currency = EXCLUDED.currency, "
            "balance = EXCLUDED.balance, equity = EXCLUDED.equity, margin = EXCLUDED.margin, "
            "margin_free = EXCLUDED.margin_free, leverage = EXCLUDED.leverage, "
            "demo = EXCLUDED.demo, trade_allowed = EXCLUDED.trade_allowed, "
            "refreshed_at = EXCLUDED.refreshed_at "
            "WHERE account_snapshots.refreshed_at <= EXCLUDED.refreshed_at",
            [list(c) for c in zip(*rows, strict=True)],
        )

    def for_logins(self, logins: list[str]) -> dict[str, AccountSnapshot]:
        self.cur.execute(
            f"SELECT {SNAPSHOT} FROM account_snapshots WHERE login = ANY(%s)", (logins,)
        )
        # Rows typed by the schema: constructed without re-validating thousands of them
        return {r["login"]: AccountSnapshot.model_construct(**r) for r in self.cur.fetchall()}


class PostgresBrokerDeals:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def first_delivery(self, deal: int, login: str, kind: str, now: datetime) -> bool:
        """True the first time a deal ticket is seen."""
        self.cur.execute(
            "INSERT INTO broker_deals VALUES (%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            (deal, login, kind, now),
        )
        return self.cur.rowcount == 1

    def forget(self, deal: int) -> None:
        """Handling failed: let the gateway's retry of this deal be handled again."""
        self.cur.execute("DELETE FROM broker_deals WHERE deal = %s", (deal,))
