"""api Lambda: the Chalice app (HUD, JSON API, Telegram webhook, health)."""

from bitten.api.app import create_app

app = create_app()
