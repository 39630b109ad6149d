"""Gamification use cases (issue 12): XP ledger, plans, drills, achievements, referrals, shop."""
