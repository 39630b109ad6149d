"""SQL migration runner: files NNNN_name.sql applied once, in order, under an advisory lock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg

LOCK_KEY = 0x4B177E4  # any constant shared by every process that migrates


def pending(conn: psycopg.Connection, folder: Path) -> list[Path]:
    done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
    return [p for p in sorted(folder.glob("*.sql")) if p.stem not in done]


def migrate(url: str, folder: Path) -> list[str]:
    """Apply what is missing; two functions starting at once serialise on the lock."""
    applied: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version text PRIMARY KEY, applied_at timestamptz NOT NULL)"
            )
            for path in pending(conn, folder):
                with conn.transaction():
                    conn.execute(path.read_text())
                    conn.execute(
                        "INSERT INTO schema_migrations VALUES (%s, %s)",
                        (path.stem, datetime.now(UTC)),
                    )
                applied.append(path.stem)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    return applied
