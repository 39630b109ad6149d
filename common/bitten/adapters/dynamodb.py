"""DynamoDB FireLock adapter (conditional PutItem) and its in-memory fake."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from bitten.ports import Clock

DEFAULT_LOCK_TTL = timedelta(days=7)


class DynamoDbFireLock:
    """One claim per mission: PutItem conditioned on attribute_not_exists(mission_id)."""

    def __init__(
        self, client: Any, table: str, clock: Clock, ttl: timedelta = DEFAULT_LOCK_TTL
    ) -> None:
        self._client = client
        self.table = table
        self._ttl = ttl
        self._clock = clock

    def claim(self, mission_id: str, owner: str) -> bool:
        """True for the first claimant of `mission_id`, False for every later one."""
        now = self._clock.now()
        item = {
            "mission_id": {"S": mission_id},
            "owner": {"S": owner},
            "claimed_at": {"S": now.isoformat()},
            "expires_at": {"N": str(int((now + self._ttl).timestamp()))},
        }
        try:
            self._client.put_item(
                TableName=self.table,
                Item=item,
                ConditionExpression="attribute_not_exists(mission_id)",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def owner_of(self, mission_id: str) -> str | None:
        """Who holds the claim on `mission_id` (strongly consistent read), or None."""
        item = self._client.get_item(
            TableName=self.table, Key={"mission_id": {"S": mission_id}}, ConsistentRead=True
        ).get("Item")
        return item["owner"]["S"] if item else None

    def ping(self) -> None:
        """Raise unless the table answers."""
        self._client.describe_table(TableName=self.table)


class InMemoryFireLock:
    """Fake FireLock: a dict under a mutex; the same first-claim-wins rule."""

    def __init__(self, clock: Clock, ttl: timedelta = DEFAULT_LOCK_TTL) -> None:
        self.claims: dict[str, dict[str, Any]] = {}
        self.healthy = True
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()

    def claim(self, mission_id: str, owner: str) -> bool:
        """True for the first claimant of `mission_id`, False for every later one."""
        now = self._clock.now()
        with self._lock:
            if mission_id in self.claims:
                return False
            self.claims[mission_id] = {
                "owner": owner,
                "claimed_at": now,
                "expires_at": int((now + self._ttl).timestamp()),
            }
        return True

    def owner_of(self, mission_id: str) -> str | None:
        """Who holds the claim on `mission_id`, or None."""
        claim = self.claims.get(mission_id)
        return claim["owner"] if claim else None

    def ping(self) -> None:
        """Raise ConnectionError when the test marked the lock unhealthy."""
        if not self.healthy:
            raise ConnectionError("in-memory fire lock marked unhealthy")
