"""Telegram bot use cases: one module per command, one entry point for every update."""
