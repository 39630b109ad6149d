"""VENOM setups switched off and on by operators; signal_scan drops a disabled setup's signals."""

from __future__ import annotations

from bitten import logs
from bitten.domain.operator import Operator, SetupSwitch, UnknownTarget
from bitten.services.deps import OpsDeps

log = logs.get("ops")


def setup_switches(deps: OpsDeps) -> list[SetupSwitch]:
    """Every setup VENOM knows, on or off."""
    with deps.uow() as repos:
        return repos.ops.setups.all(deps.setup_names)


def set_setup(name: str, enabled: bool, reason: str, actor: str, deps: OpsDeps) -> SetupSwitch:
    """Switch a setup on or off, audited; UnknownTarget for a name VENOM does not have."""
    who = Operator.of(actor, reason)
    if name not in deps.setup_names:
        known = ", ".join(deps.setup_names)
        raise UnknownTarget(f"no VENOM setup {name!r}: the setups are {known}")
    now = deps.clock.now()
    after = SetupSwitch(
        name=name, enabled=enabled, reason=who.reason, changed_by=who.actor, changed_at=now
    )
    with deps.uow() as repos:
        before = repos.ops.setups.get(name, lock=True)
        repos.ops.setups.set(after)
        action = f"setup_{'on' if enabled else 'off'}"
        dump = before.model_dump(mode="json"), after.model_dump(mode="json")
        repos.audit.record(who.entry(now, action, name, *dump))
    log.warning("setup %s %s by %s: %s", name, "on" if enabled else "off", who.actor, who.reason)
    return after
