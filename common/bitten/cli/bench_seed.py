"""Bench data written straight into Postgres: N traders with accounts, one signal, a mission
each (what fan-out would have created), so the alerts bench measures alerts only."""

from __future__ import annotations

import uuid
from typing import Any

SEED_SQL = [
    """
INSERT INTO traders (id, telegram_id, username, tier, created_at)
SELECT gen_random_uuid(), %(first)s + g - 1, 'trader' || g, 'FANG', now()
FROM generate_series(1, %(users)s) g""",
    """INSERT INTO broker_accounts (trader_id, login, demo, currency, linked_at, verified_at)
SELECT id, 'B' || telegram_id, true, 'USD', now(), now() FROM traders""",
    """INSERT INTO missions (id, signal_id, trader_id, status, balance, risk_amount, lots, sl_price,
                      tp_price, created_at, expires_at, risk_multiplier)
SELECT gen_random_uuid(), %(signal)s, id, 'open', 10000, 200, 0.10, 1.09900, 1.10200,
       now() + (telegram_id - %(first)s) * interval '1 microsecond',
       now() + interval '30 minutes', 1.00 FROM traders""",
]


def signal_row(conn: Any) -> uuid.UUID:
    """One EURUSD buy valid for 30 minutes; its id."""
    signal_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO signals (id, pair, direction, entry, stop_pips, target_pips, confidence, "
        "shield_score, shield_label, risk_multiplier, reasons, shield_checks, engine, bar_time, "
        "created_at, expires_at) VALUES (%s, 'EURUSD', 'buy', 1.10000, 10, 20, 70, 7.0, "
        '\'STRONG\', 1.00, \'["stretch"]\', \'[{"name": "trend", "score": 2.0, '
        "\"explanation\": \"with the H4 trend\"}]', 'BENCH', now() - interval '1 minute', "
        "now(), now() + interval '30 minutes')",
        (signal_id,),
    )
    return signal_id
