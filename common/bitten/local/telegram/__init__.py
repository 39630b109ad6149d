"""Local Telegram Bot API emulator: real HTTP, recorded, scriptable (docs/telegram-emulator.md)."""
