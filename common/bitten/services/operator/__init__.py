"""Operator actions of the Commander Throne (issue 13), each audited in the transaction of its
change: broadcasts, dead letters, tiers and refunds, VENOM's setups (the kill switch is
bitten.services.ops)."""
