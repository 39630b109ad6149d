"""Gamification rules that reward discipline: XP, plans, trading days, drills, streaks, ranks."""
