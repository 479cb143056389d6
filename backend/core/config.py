"""Settings from ``SUNSHINE_*`` environment variables, so tests and instances never share state."""

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AwareDatetime, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEED_DIR = REPO_ROOT / "assets" / "seed"
DB_FILE_NAME = "backend.sqlite3"


def default_data_dir() -> Path:
    """``SUNSHINE_DATA_DIR`` wins; otherwise the per-user data dir of the OS."""
    return Path(platformdirs.user_data_dir("sunshine"))


class Settings(BaseSettings):
    """Backend configuration; construct with keywords in tests, from the environment otherwise."""

    model_config = SettingsConfigDict(
        env_prefix="SUNSHINE_", extra="ignore", populate_by_name=True, validate_default=True
    )

    env: Literal["dev", "production"] = "dev"
    data_dir: Path = Field(default_factory=default_data_dir)
    # SQLAlchemy URL; empty means "SQLite file in data_dir" (filled in below).
    db_url: str = Field(default="", validation_alias="SUNSHINE_BACKEND_DB")
    # Where the demo catalogue lives; None disables seeding (e.g. when only rendering OpenAPI).
    seed_dir: Path | None = DEFAULT_SEED_DIR
    # Dev/test only: this one-time code signs in any phone. Refused in production twice over:
    # settings with it set do not validate (the server will not start), and the token route
    # ignores it unless env is "dev".
    dev_login_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    # Volunteer registrations verified at once; None means "in dev mode only" (production
    # waits for staff: POST /volunteers/{user_id}/verify).
    auto_verify_volunteers: bool | None = None
    # Who sends text messages. "logging" only logs them: the one provider until a real SMS
    # gateway is wired in (backend.notify.sms).
    sms_provider: Literal["logging"] = "logging"
    # Test-only: the server's clock starts at this instant and runs on from it
    # (backend.core.clock.StartedClock); refused in production.
    test_now: AwareDatetime | None = None

    @property
    def volunteers_auto_verified(self) -> bool:
        if self.auto_verify_volunteers is None:
            return self.env == "dev"
        return self.auto_verify_volunteers

    @model_validator(mode="after")
    def _default_db_url(self) -> "Settings":
        if not self.db_url:
            self.db_url = f"sqlite:///{self.data_dir / DB_FILE_NAME}"
        return self

    @model_validator(mode="after")
    def _no_dev_code_in_production(self) -> "Settings":
        if self.env == "production" and self.dev_login_code:
            raise ValueError("SUNSHINE_DEV_LOGIN_CODE must not be set when SUNSHINE_ENV=production")
        if self.env == "production" and self.test_now is not None:
            raise ValueError("SUNSHINE_TEST_NOW must not be set when SUNSHINE_ENV=production")
        return self
