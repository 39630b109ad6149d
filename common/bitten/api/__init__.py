"""The Chalice app: JSON API, HUD pages, Telegram webhook, health."""
