"""Postgres adapters (psycopg 3): one repository per aggregate over a shared cursor."""

from __future__ import annotations

from typing import Any, TypeAlias

import psycopg

Cursor: TypeAlias = psycopg.Cursor[dict[str, Any]]
