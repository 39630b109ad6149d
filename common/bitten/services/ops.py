"""Operator actions: the kill switch (pause new signals, pause firing), audited."""

from __future__ import annotations

from pydantic import BaseModel

from bitten import logs
from bitten.domain.switches import AuditEntry, Switch, SwitchState
from bitten.services.deps import OpsDeps

log = logs.get("ops")


class OpsStatus(BaseModel):
    switches: list[SwitchState]
    recent: list[AuditEntry]


def set_switch(name: Switch, paused: bool, reason: str, actor: str, deps: OpsDeps) -> SwitchState:
    """Pause or resume `name`; the change and why go to the audit log in the same
    transaction. ValueError without a reason or an actor."""
    reason, actor = reason.strip(), actor.strip()
    if not reason:
        raise ValueError("say why: a reason is required")
    if not actor:
        raise ValueError("say who: an operator name is required")
    now = deps.clock.now()
    with deps.uow() as repos:
        before = repos.switches.get(name, lock=True)
        after = SwitchState(
            name=name, paused=paused, reason=reason, changed_by=actor, changed_at=now
        )
        repos.switches.set(after)
        repos.audit.record(
            AuditEntry(
                at=now,
                actor=actor,
                action=f"{'pause' if paused else 'resume'}_{name.value}",
                target=name.value,
                reason=reason,
                before=before.model_dump(mode="json"),
                after=after.model_dump(mode="json"),
            )
        )
    log.warning("%s %s by %s: %s", name.value, "paused" if paused else "resumed", actor, reason)
    return after


def ops_status(deps: OpsDeps, recent: int = 10) -> OpsStatus:
    """Both switches and the latest audit entries."""
    with deps.uow() as repos:
        return OpsStatus(switches=repos.switches.all(), recent=repos.audit.recent(recent))
