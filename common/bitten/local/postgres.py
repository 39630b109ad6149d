"""Embedded Postgres (pgserver) in a data folder under the project."""

from __future__ import annotations

from pathlib import Path


def embedded_database_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded server for `data_dir` and return its URL."""
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (CI)
        warnings.simplefilter("ignore")
        import pgserver  # local-only dependency

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir))
    return server.get_uri()


def fresh_database(admin_url: str, name: str) -> str:
    """Drop and create database `name` on the same server; return its URL (tests, demo)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_dbname(admin_url, name)


def with_dbname(url: str, name: str) -> str:
    """The same server's URL for database `name`."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    params["dbname"] = name
    return make_conninfo("", **params)
