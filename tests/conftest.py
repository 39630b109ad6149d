"""Shared fixtures: one embedded Postgres per session, a clean migrated database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from bitten.adapters.postgres.migrate import migrate
from bitten.config import PROJECT_ROOT, Settings, load_settings
from bitten.local.postgres import embedded_database_url, fresh_database
from factories import World, make_world

MIGRATIONS = PROJECT_ROOT / "infra" / "migrations"
TEST_PG_DIR = PROJECT_ROOT / ".bitten" / "test-pg"


def _admin_url() -> str:
    """DATABASE_URL's server when set (via Settings, the one env reader), else embedded."""
    return load_settings().database_url or embedded_database_url(Path(TEST_PG_DIR))


@pytest.fixture(scope="session")
def session_database_url() -> Iterator[str]:
    """A database of our own on the server, migrated once for the whole session."""
    admin = _admin_url()
    name = f"bitten_test_{os.getpid()}"  # parallel runs (xdist, other engineers) never collide
    url = fresh_database(admin, name)
    with psycopg.connect(admin, autocommit=True) as conn:  # not UTC: time zone bugs show up
        conn.execute(f"ALTER DATABASE \"{name}\" SET timezone TO 'America/New_York'")
    migrate(url, MIGRATIONS)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _truncator(session_database_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(session_database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def database_url(session_database_url: str, _truncator: psycopg.Connection) -> str:
    """The session database with every table emptied (cheaper than a new database per test)."""
    rows = _truncator.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'schema_migrations'"
    ).fetchall()
    tables = ", ".join(f'"{r[0]}"' for r in rows)
    _truncator.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return session_database_url


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings pointing at the clean test database; every secret fixed for the tests."""
    return load_settings(
        database_url=database_url,
        telegram_bot_token="123456:TEST-TOKEN",
        telegram_webhook_secret="test-webhook-secret",
        telegram_group_chat_id=-100777,
        jwt_secret="test-jwt-secret-of-at-least-32-chars",
        hud_base_url="http://hud.test",
        risk_percent=Decimal("2.0"),
    )


@pytest.fixture
def world(settings) -> World:
    """One platform on the test database with in-process broker and Telegram (factories.py)."""
    return make_world(settings)
