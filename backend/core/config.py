"""Settings from ``SUNSHINE_*`` environment variables, so tests and instances never share state."""

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AwareDatetime, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.core.keys import DEV_KEY_FILE_NAME

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEED_DIR = REPO_ROOT / "assets" / "seed"
DB_FILE_NAME = "backend.sqlite3"


def default_data_dir() -> Path:
    """``SUNSHINE_DATA_DIR`` wins; otherwise the per-user data dir of the OS."""
    return Path(platformdirs.user_data_dir("sunshine"))


class Settings(BaseSettings):
    """Backend configuration; construct with keywords in tests, from the environment otherwise.

    Production is the default: dev mode (demo data, codes in the log, the dev sign-in code)
    is asked for with ``SUNSHINE_ENV=dev``, and production refuses to start without what it
    needs (``production_problems``).
    """

    model_config = SettingsConfigDict(
        env_prefix="SUNSHINE_", extra="ignore", populate_by_name=True, validate_default=True
    )

    env: Literal["dev", "production"] = "production"
    data_dir: Path = Field(default_factory=default_data_dir)
    # SQLAlchemy URL. Dev: empty means "SQLite file in data_dir" (filled in below);
    # production names its database.
    db_url: str = Field(default="", validation_alias="SUNSHINE_BACKEND_DB")
    # Where the demo catalogue, users and events come from in dev mode; None: no demo data
    # (e.g. when only rendering OpenAPI). Never seeded in production.
    seed_dir: Path | None = DEFAULT_SEED_DIR
    # The secret keys (backend.core.keys). Production names the file; dev mode makes its own
    # in data_dir.
    key_file: Path | None = None
    # Dev/test only: this one-time code signs in any phone. Refused in production twice over:
    # settings with it set do not validate (the server will not start), and the token route
    # ignores it unless env is "dev".
    dev_login_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    # Volunteer registrations verified at once; None means "in dev mode only" (production
    # waits for staff: POST /volunteers/{user_id}/verify). True is refused in production.
    auto_verify_volunteers: bool | None = None
    # Who sends text messages (backend.notify.sms): "logging" only logs them (dev mode);
    # "http" posts each to the gateway at sms_gateway_url with sms_gateway_token.
    sms_provider: Literal["logging", "http"] = "logging"
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""
    # Test-only: the server's clock starts at this instant and runs on from it
    # (backend.core.clock.StartedClock); refused in production.
    test_now: AwareDatetime | None = None
    # Worker threads per server process for the routes' database work (anyio's pool, 40 by
    # default). Few: the routes mostly wait for the interpreter lock, not for I/O, and with
    # many threads each statement hands the lock to another request (bench/load.py and
    # bench/events.py: 8 served more requests, sooner, than 40 and than 2).
    worker_threads: int = Field(default=8, ge=1)
    # How `python -m backend` writes its log: one JSON object per line, or plain text; None
    # means JSON in production, text in dev mode (backend.core.logs).
    log_format: Literal["json", "text"] | None = None

    @property
    def json_logs(self) -> bool:
        return self.log_format == "json" or (self.log_format is None and self.env == "production")

    @property
    def volunteers_auto_verified(self) -> bool:
        if self.auto_verify_volunteers is None:
            return self.env == "dev"
        return self.auto_verify_volunteers

    @property
    def demo_seed_dir(self) -> Path | None:
        """Where demo data comes from: only ever in dev mode."""
        return self.seed_dir if self.env == "dev" else None

    @property
    def key_path(self) -> Path:
        return self.key_file or self.data_dir / DEV_KEY_FILE_NAME

    def production_problems(self) -> list[str]:
        """What keeps these settings from running in production, one sentence each."""
        problems = []
        if not self.db_url:
            problems.append(
                "SUNSHINE_BACKEND_DB must name the database "
                "(for example postgresql+psycopg://sunshine@db/sunshine)"
            )
        if self.key_file is None:
            problems.append(
                "SUNSHINE_KEY_FILE must name the key file "
                "(python -m backend new-key-file PATH makes one)"
            )
        if self.sms_provider == "logging":
            problems.append(
                "SUNSHINE_SMS_PROVIDER must name a gateway (http): in production sign-in "
                "codes are sent by text message, never written to the log"
            )
        elif not self.sms_gateway_url.startswith("https://") or not self.sms_gateway_token:
            problems.append(
                "SUNSHINE_SMS_GATEWAY_URL (https://…) and SUNSHINE_SMS_GATEWAY_TOKEN must be set"
            )
        if self.dev_login_code:
            problems.append("SUNSHINE_DEV_LOGIN_CODE must not be set in production")
        if self.test_now is not None:
            problems.append("SUNSHINE_TEST_NOW must not be set in production")
        if self.auto_verify_volunteers:
            problems.append(
                "SUNSHINE_AUTO_VERIFY_VOLUNTEERS must not be set in production: "
                "staff verify each volunteer"
            )
        if "seed_dir" in self.model_fields_set and self.seed_dir is not None:
            problems.append("SUNSHINE_SEED_DIR seeds demo data and must not be set in production")
        return problems

    @model_validator(mode="after")
    def _fail_closed(self) -> "Settings":
        if self.env == "production":
            problems = self.production_problems()
            if problems:
                raise ValueError(
                    "the backend cannot run in production (SUNSHINE_ENV=dev runs the demo):\n"
                    + "\n".join(f"- {problem}" for problem in problems)
                )
        elif not self.db_url:
            self.db_url = f"sqlite:///{self.data_dir / DB_FILE_NAME}"
        return self
