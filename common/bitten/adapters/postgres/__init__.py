"""Postgres adapters (psycopg 3)."""
