"""Settings: the ONLY module that reads environment variables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bitten.domain.tiers import Tier

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_FX = PROJECT_ROOT.parent / "shared" / "data" / "fx"
DEMO_CANDLES = Path(__file__).resolve().parent / "local" / "demo" / "candles"  # package data


class Settings(BaseSettings):
    """Every knob of the platform; names are the env variables in upper case."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str | None = Field(None, description="Postgres URL; unset = embedded pgserver")
    db_pool_size: int = Field(
        2, ge=1, description="Postgres connections per process (a Lambda serves one event at once)"
    )
    local_db_pool_size: int = Field(
        10, ge=1, description="the same for the local stack, whose one process runs API + functions"
    )
    bitten_data_dir: Path = Field(PROJECT_ROOT / ".bitten", description="local state folder")
    aws_endpoint_url: str | None = Field(None, description="SQS/DynamoDB endpoint; unset = moto")
    aws_default_region: str = "us-east-1"
    aws_access_key_id: str | None = Field(None, description="unset = boto3's default chain")
    aws_secret_access_key: str | None = Field(None, description="set with the key id")
    bitten_stage: str = Field("local", description="suffix for queue and table names")
    forexvps_url: str | None = Field(None, description="ForexVPS REST base URL; unset = paper")
    forexvps_token: str = Field("paper-token", description="bearer token for ForexVPS")
    telegram_bot_token: str | None = Field(None, description="real bot token; unset = emulator")
    telegram_api_url: str | None = Field(None, description="Bot API base URL override")
    telegram_webhook_secret: str = Field("local-webhook-secret", description="webhook header")
    telegram_group_chat_id: int = Field(-1001000000000, description="group for signal alerts")
    telegram_bot_username: str = Field(
        "bitten_local_bot", description="the bot's @username, for referral links"
    )
    telegram_paid_broadcast: bool = Field(
        False,
        description="personal alerts with allow_paid_broadcast: up to 1,000/s, Stars per message",
    )
    stars_price_nibbler: int = Field(250, ge=1, description="NIBBLER, Stars per 30 days")
    stars_price_fang: int = Field(750, ge=1, description="FANG, Stars per 30 days")
    stars_price_commander: int = Field(2000, ge=1, description="COMMANDER, Stars per 30 days")
    hud_session_minutes: int = Field(
        15, ge=1, le=120, description="life of a Mini App session token (JWT)"
    )
    hud_base_url: str | None = Field(
        None, description="public URL of the api for alert links; unset = API_HOST:API_PORT"
    )
    jwt_secret: str = Field(
        "local-only-jwt-secret-change-me-in-prod",
        min_length=32,  # RFC 7518: an HS256 key at least as long as the hash
        description="HUD session key, 32+ characters",
    )
    bitten_market_data: Path | None = Field(None, description="folder of PAIR_M1_*.csv.gz")
    bitten_pairs: str = Field("", description="comma list of pairs; the scan keeps VENOM's own")
    risk_percent: Decimal = Field(
        Decimal("2.0"), gt=0, le=10, description="percent of balance risked per mission"
    )
    account_currency: str = Field("USD", description="currency of every trading account")
    terminal_heartbeat_max_age: float = Field(
        30.0, gt=0, description="seconds: an older terminal heartbeat refuses FIRE as offline"
    )
    price_runaway_share: Decimal = Field(
        Decimal("0.5"), gt=0, le=1, description="share of the way to the target that expires FIRE"
    )
    fire_max_resends: int = Field(3, ge=0, le=10, description="re-sends after a requote or 429")
    fire_max_retry_wait: float = Field(3.0, ge=0, description="seconds of waiting across them")
    snapshot_max_age: int = Field(
        300, ge=0, description="seconds: fan-out reads fresher accounts from the broker"
    )
    operator_telegram_ids: str = Field("", description="comma list of operators' Telegram ids")
    drift_min_trades: int = Field(
        20, ge=1, description="live trades a setup needs before the Throne judges its drift"
    )
    broker_callback_secret: str = Field(
        "local-broker-callback-secret", description="HMAC key of the broker's fill/close events"
    )
    api_host: str = "127.0.0.1"
    api_port: int = 8888
    log_level: str = "INFO"
    log_to_database: bool = Field(
        True, description="also write every log line to Postgres (log_lines), in batches"
    )
    log_retention_days: int = Field(
        14, ge=1, description="days of log lines kept in Postgres (trader_upkeep prunes older)"
    )
    log_buffer_lines: int = Field(
        10_000, ge=100, description="log lines held while Postgres is unreachable (oldest dropped)"
    )

    def market_data_source(self) -> Path:
        """Env folder, else ../shared/data/fx when it exists, else the night the package ships."""
        if self.bitten_market_data:
            return self.bitten_market_data
        return SHARED_FX if SHARED_FX.is_dir() else DEMO_CANDLES

    def public_api_url(self) -> str:
        """Where traders reach the API and HUD (alert links)."""
        return self.hud_base_url or f"http://{self.api_host}:{self.api_port}"

    def operator_ids(self) -> frozenset[int]:
        return frozenset(int(x) for x in self.operator_telegram_ids.split(",") if x.strip())

    def tier_prices(self) -> dict[Tier, int]:
        """Stars per 30 days of each paid tier."""
        return {
            Tier.NIBBLER: self.stars_price_nibbler,
            Tier.FANG: self.stars_price_fang,
            Tier.COMMANDER: self.stars_price_commander,
        }

    def pair_list(self) -> list[str]:
        return [p.strip().upper() for p in self.bitten_pairs.split(",") if p.strip()]

    def queue_name(self, logical: str, dead_letter: bool = False) -> str:
        """Physical name of a queue or of its DLQ; the FIFO fire queue and its DLQ keep the
        .fifo suffix AWS requires."""
        dlq = "-dlq" if dead_letter else ""
        suffix = ".fifo" if logical == "fires" else ""
        return f"bitten-{self.bitten_stage}-{logical}{dlq}{suffix}"

    @property
    def fire_lock_table(self) -> str:
        return f"bitten-{self.bitten_stage}-fire-locks"


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; overrides win (tests, local stack)."""
    return Settings(**overrides)  # type: ignore[arg-type]


def cli_operator() -> str:
    """Who runs `bitten ops` (the audit log's actor): the login name of the shell."""
    import getpass

    return f"cli:{getpass.getuser()}"
