"""Settings: the ONLY module that reads environment variables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    telegram_bot_username: str = Field("", description="the bot's @username, for invite links")
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
    api_host: str = "127.0.0.1"
    api_port: int = 8888
    log_level: str = "INFO"

    def market_data_source(self) -> Path:
        """Env folder, else ../shared/data/fx when it exists, else the night the package ships."""
        if self.bitten_market_data:
            return self.bitten_market_data
        return SHARED_FX if SHARED_FX.is_dir() else DEMO_CANDLES

    def public_api_url(self) -> str:
        """Where traders reach the API and HUD (alert links)."""
        return self.hud_base_url or f"http://{self.api_host}:{self.api_port}"

    def pair_list(self) -> list[str]:
        return [p.strip().upper() for p in self.bitten_pairs.split(",") if p.strip()]

    def queue_name(self, logical: str) -> str:
        """Physical queue name; the FIFO fire queue keeps the .fifo suffix AWS requires."""
        suffix = ".fifo" if logical == "fires" else ""
        return f"bitten-{self.bitten_stage}-{logical}{suffix}"

    @property
    def fire_lock_table(self) -> str:
        return f"bitten-{self.bitten_stage}-fire-locks"


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; overrides win (tests, local stack)."""
    return Settings(**overrides)  # type: ignore[arg-type]
