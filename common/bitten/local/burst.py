"""Many HTTP calls started at the same instant (one event loop): the burst test and the
fire-race bench."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    headers: dict[str, str] | None = None
    json: dict[str, Any] | None = None


def all_at_once(calls: list[Call]) -> list[httpx.Response | str]:
    """Start every call's connection at the same moment (one event loop, so they really do):
    each gives its response, or its connection error."""
    return asyncio.run(_race(calls))


async def _race(calls: list[Call]) -> list[httpx.Response | str]:
    start = asyncio.Event()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def one(call: Call) -> httpx.Response | str:
            await start.wait()
            try:
                return await client.request(
                    call.method, call.url, headers=call.headers, json=call.json
                )
            except httpx.TransportError as err:
                return f"{type(err).__name__}: {err}"

        tasks = [asyncio.create_task(one(call)) for call in calls]
        await asyncio.sleep(0.05)  # every task is waiting at the start line
        start.set()
        return await asyncio.gather(*tasks)


def status(result: httpx.Response | str) -> int | str:
    return result.status_code if isinstance(result, httpx.Response) else result
