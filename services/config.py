"""Client settings from ``SUNSHINE_*`` environment variables (DESIGN.md §7)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AwareDatetime, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

STORE_FILE_NAME = "client.sqlite3"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sunshine"))


class ClientSettings(BaseSettings):
    """Where the client keeps its data and which backend it talks to.

    ``api_url`` empty means "start the embedded reference backend" (main.py decides).
    """

    model_config = SettingsConfigDict(env_prefix="SUNSHINE_", extra="ignore")

    env: Literal["dev", "production"] = "dev"
    api_url: str = ""
    language: str = "zh_CN"
    data_dir: Path = Field(default_factory=default_data_dir)
    # Seconds between catalogue pulls while the app is open; also how soon it notices a
    # backend that came back.
    # The command that plays read-aloud audio, "{path}" standing for the WAV file
    # (e.g. "paplay {path}"); empty: the first player found on PATH.
    audio_player: str = ""
    sync_interval: float = 30.0
    request_timeout: float = 10.0
    # Kiosk mode: seconds without input before the spoken countdown starts, and before the
    # session is wiped (DESIGN.md §5: the idle reset warns first and can be extended).
    kiosk_warn_after: float = Field(default=60.0, gt=0)
    kiosk_reset_after: float = Field(default=90.0, gt=0)
    # Test-only: a folder where the memory probe (app/memory_probe.py) takes requests; refused
    # in production.
    memory_probe_dir: Path | None = None
    # Test-only: the app's clock starts at this instant and runs on from it (services.clock),
    # so a test can be "07:55 in Shanghai" whatever the machine's time; refused in production.
    test_now: AwareDatetime | None = None

    @model_validator(mode="after")
    def _kiosk_warns_before_reset(self) -> ClientSettings:
        if self.kiosk_reset_after <= self.kiosk_warn_after:
            raise ValueError("SUNSHINE_KIOSK_RESET_AFTER must be later than ..._WARN_AFTER")
        if self.memory_probe_dir is not None and self.env == "production":
            raise ValueError("SUNSHINE_MEMORY_PROBE_DIR is for tests; refused in production")
        if self.test_now is not None and self.env == "production":
            raise ValueError("SUNSHINE_TEST_NOW is for tests; refused in production")
        if self.env == "production" and not self.api_url.startswith("https://"):
            # Tokens, codes and personal data cross it: never in the clear.
            raise ValueError("SUNSHINE_API_URL must be an https:// address in production")
        return self

    @property
    def store_path(self) -> Path:
        return self.data_dir / STORE_FILE_NAME
