"""Run the Telegram emulator alone: python -m bitten.local.telegram.main --port 8081."""

from __future__ import annotations

import argparse
import threading

from bitten.local.telegram.emulator import DEFAULT_TOKEN, TelegramEmulator


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Local Telegram Bot API emulator")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--user", type=int, action="append", default=[], help="register a user id")
    parser.add_argument(
        "--group", type=int, action="append", default=[], help="register a group id"
    )
    parser.add_argument(
        "--users", nargs=2, type=int, metavar=("FIRST_ID", "COUNT"), help="register many users"
    )
    parser.add_argument("--unlimited", action="store_true", help="no flood limits (not Telegram)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Serve until Ctrl-C, printing the URLs a bot and a person need."""
    args = _arguments(argv)
    emulator = TelegramEmulator(args.token, port=args.port, unlimited=args.unlimited)
    if args.users:
        emulator.users(*args.users)
    for user_id in args.user:
        emulator.user(user_id, f"User {user_id}")
    for chat_id in args.group:
        emulator.group(chat_id, f"Group {chat_id}")
    base = emulator.start()
    print(f"Bot API base_url: {emulator.bot_api_url}  token: {args.token}")
    print(f"Script routes:    {base}/emulator  (see docs/telegram-emulator.md)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
