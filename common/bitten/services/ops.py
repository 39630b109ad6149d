"""Operator actions: the kill switch (pause new signals, pause firing), audited."""

from __future__ import annotations

from pydantic import BaseModel

from bitten import logs
from bitten.domain.operator import Operator
from bitten.domain.switches import AuditEntry, Switch, SwitchState
from bitten.services.deps import OpsDeps

log = logs.get("ops")


class OpsStatus(BaseModel):
    switches: list[SwitchState]
    recent: list[AuditEntry]


def set_switch(name: Switch, paused: bool, reason: str, actor: str, deps: OpsDeps) -> SwitchState:
    """Pause or resume `name`; the change and why go to the audit log in the same
    transaction. ValueError without a reason or an actor."""
    who = Operator.of(actor, reason)
    now = deps.clock.now()
    with deps.uow() as repos:
        before = repos.switches.get(name, lock=True)
        after = SwitchState(
            name=name, paused=paused, reason=who.reason, changed_by=who.actor, changed_at=now
        )
        repos.switches.set(after)
        action = f"{'pause' if paused else 'resume'}_{name.value}"
        dump = before.model_dump(mode="json"), after.model_dump(mode="json")
        repos.audit.record(who.entry(now, action, name.value, *dump))
    state = "paused" if paused else "resumed"
    log.warning("%s %s by %s: %s", name.value, state, who.actor, who.reason)
    return after


def ops_status(deps: OpsDeps, recent: int = 10) -> OpsStatus:
    """Both switches and the latest audit entries."""
    with deps.uow() as repos:
        return OpsStatus(switches=repos.switches.all(), recent=repos.audit.recent(recent))
