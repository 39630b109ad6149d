"""The embedded local stack: Postgres, moto (SQS + DynamoDB), paper broker, Telegram emulator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bitten.config import PROJECT_ROOT, Settings
from bitten.local.api_server import free_port
from bitten.strategy.candles import Candles

MIGRATIONS = PROJECT_ROOT / "infra" / "migrations"


class LogSinkPart:
    """The stack's log lines go to its Postgres too (issue 13), until the stack stops."""

    def __init__(self, settings: Settings) -> None:
        from bitten import bootstrap

        self.sink = bootstrap.install_log_sink(settings)

    def stop(self) -> None:
        from bitten import bootstrap

        bootstrap.remove_log_sink(self.sink)


@dataclass
class LocalStack:
    """Start what is not configured; `settings` afterwards points every part at a real server."""

    settings: Settings
    clock: Any
    candles: dict[str, Candles]
    database: str = "bitten"
    started: list[Any] = field(default_factory=list)
    paper: Any = None
    telegram: Any = None
    aws: Any = None
    events: Any = None  # the paper gateway's deal events to the API (send_broker_events)

    def start(self) -> Settings:
        update: dict[str, Any] = {"database_url": self._database()}
        if not self.settings.api_port:  # known before anything links to it (HUD_BASE_URL)
            update["api_port"] = free_port(self.settings.api_host)
        update["db_pool_size"] = self.settings.local_db_pool_size  # one process serves it all
        if not self.settings.aws_endpoint_url:  # in-process moto takes any credentials
            update |= {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        update["aws_endpoint_url"] = self._aws()
        if not self.settings.forexvps_url:
            update["forexvps_url"] = self._paper_broker()
        if not self.settings.telegram_bot_token:
            update["telegram_bot_token"], update["telegram_api_url"] = self._telegram()
        self.settings = self.settings.model_copy(update=update)
        self.started.insert(0, LogSinkPart(self.settings))  # stopped last: it keeps the others'
        return self.settings

    def _database(self) -> str:
        from bitten.adapters.postgres.migrate import migrate
        from bitten.local.postgres import embedded_database_url, fresh_database

        url = self.settings.database_url
        if not url:
            admin = embedded_database_url(self.settings.bitten_data_dir / "pg")
            url = fresh_database(admin, self.database)
        migrate(url, MIGRATIONS)
        return url

    def _aws(self) -> str:
        from bitten.local.aws.resources import LocalAws

        self.aws = LocalAws(self.settings)
        self.started.append(self.aws)
        return self.aws.start()

    def _paper_broker(self) -> str:
        from bitten.local.paper.server import PaperBrokerServer

        self.paper = PaperBrokerServer(self.candles, self.clock, token=self.settings.forexvps_token)
        self.started.append(self.paper)
        return self.paper.start()

    def _telegram(self) -> tuple[str, str]:
        from bitten.local.telegram.emulator import DEFAULT_TOKEN, TelegramEmulator

        # Mini App logins are dated on the wall clock, as the API checks them (session_clock)
        self.telegram = TelegramEmulator(DEFAULT_TOKEN)
        self.started.append(self.telegram)
        self.telegram.start()
        self.telegram.group(self.settings.telegram_group_chat_id, "BITTEN signals")
        return DEFAULT_TOKEN, self.telegram.bot_api_url

    def send_broker_events(self, api_url: str) -> None:
        """The paper gateway pushes every deal, signed, to the API's broker callback."""
        if self.paper is None:
            return
        from bitten.local.paper.callbacks import CallbackSender

        url = f"{api_url}/api/broker/callback"
        sender = CallbackSender(url, self.settings.broker_callback_secret, self.clock).start()
        self.paper.book.on_deal.append(sender)
        self.events = sender
        self.started.append(sender)

    def stop(self) -> None:
        for part in reversed(self.started):
            part.stop()
        self.started.clear()
