"""Settings of the service (environment variables with the GRADEBOX_ prefix, or `.env`).

One class, one cached instance. Tests build their own `Settings(...)` and pass it to
`create_app`, so nothing the service owns is read from the environment behind their
back. The service owns only its own variables: the sandbox's (`GRADEBOX_SANDBOX`,
...) are `sandbox/settings.py`'s and the grader's `graders/settings.py`'s, read through
those layers (`tests/test_settings_owners.py` keeps each variable to one class).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET = "change-me-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRADEBOX_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    # Peppers the stored hashes of session and API tokens; the default is refused
    # outside development (changing it signs everybody out).
    secret_key: str = DEFAULT_SECRET
    database_url: str = "sqlite:///.gradebox/gradebox.db"
    # Where uploaded packages are unpacked for grading and judgehosts cache them.
    data_dir: Path = Path(".gradebox")
    # A judgehost's unpacked packages by hash; default `<data_dir>/judge-cache`
    # (`judge_cache_dir`), the same for the embedded judgehost and `gradebox judgehost`.
    judge_cache: Path | None = None
    problems_dir: Path = Path("problems")
    frontend_dist: Path = Path("frontend/dist")

    # Accounts
    registration_enabled: bool = True
    session_ttl_hours: int = Field(default=24 * 14, ge=1)
    cookie_secure: bool = False  # set in production behind HTTPS (refused there otherwise)
    # Failed sign-ins tolerated per window, per account and per client address; past
    # that the account (or address) is refused with 429 until the window has passed.
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_window_s: int = Field(default=300, ge=1)
    demo_users: bool = True  # `server run` creates demo/demo and teacher/teacher when absent

    # Submissions
    max_source_bytes: int = Field(default=256 * 1024, ge=1)
    rate_limit_submissions: int = Field(default=30, ge=1)  # per user per window
    rate_limit_window_s: int = Field(default=60, ge=1)
    max_wait_s: float = Field(default=60.0, ge=0)

    # Runs (code on samples and custom input, not stored): their own limits.
    rate_limit_runs: int = Field(default=30, ge=1)  # per user per window
    rate_limit_runs_window_s: int = Field(default=60, ge=1)
    run_workers: int = Field(default=2, ge=1)  # runs at once in one server process
    run_queue_s: float = Field(default=20.0, ge=0)  # wait for a free worker, then 503

    # Read cache (backend.api.read_cache): answers of the hot GET routes, per caller,
    # kept while no commit has happened since; 0 bytes turns it off.
    read_cache_bytes: int = Field(default=32 * 1024 * 1024, ge=0)  # bodies in all, per process
    read_cache_max_age_s: float = Field(default=30.0, gt=0)
    # Reads that miss it: at most this many in the app at once per process; one that
    # waits longer for its turn gets 503 `overloaded` (backend.limits.ReadAdmission).
    read_max_in_flight: int = Field(default=8, ge=0)  # 0: no limit
    read_max_wait_s: float = Field(default=5.0, gt=0)

    # Any request body (JSON: sources, judge results); uploads have their own cap.
    max_body_bytes: int = 8 * 1024 * 1024
    # Uploads: caps checked before and while unpacking a zip.
    max_upload_bytes: int = 64 * 1024 * 1024
    max_package_bytes: int = 256 * 1024 * 1024  # total uncompressed
    max_package_entry_bytes: int = 64 * 1024 * 1024
    max_package_files: int = 5000

    # Judge queue
    lease_s: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=3, ge=1)
    judgehost_seen_s: float = 120.0  # /readyz counts judgehosts heard from this recently
    embedded_judgehost: bool = True
    # Which sandbox judgehosts grade in is the sandbox layer's GRADEBOX_SANDBOX
    # (`sandbox/settings.py`); the service refuses `none` (`backend/service_sandbox.py`).
    # The embedded judgehost is the only one under `make run`. It asks for `gpu` jobs
    # too, but claims them only when a GPU answers on this host (judgehost
    # `advertised_capabilities`); without one, kernel submissions are judged for
    # correctness and show "awaiting_gpu" until a `--capability gpu` judgehost times them.
    embedded_capabilities: list[str] = Field(default_factory=lambda: ["cpu", "gpu"])
    judge_poll_s: float = Field(default=0.5, gt=0)
    # Jobs one judgehost (embedded or `gradebox judgehost`) grades at once; each
    # grading's extra test lanes take only the cores the other jobs leave. `make run`
    # sets it to the machine's CPUs.
    judge_workers: int = Field(default=1, ge=1, le=64)

    # Webhooks (submission `callback_url`): callbacks to loopback, private, link-local
    # or otherwise internal addresses are refused unless the URL's host is named here
    # (comma-separated or a JSON list; exact host names or IP literals).
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    webhook_max_attempts: int = Field(default=6, ge=1)
    webhook_backoff_s: float = Field(default=10.0, gt=0)  # doubles after each failure
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    webhook_max_redirects: int = Field(default=3, ge=0)
    webhook_poll_s: float = Field(default=1.0, gt=0)
    webhook_worker: bool = True  # deliver from this process (a thread of the app)

    # In production `/metrics` answers only an admin's credential unless this is set
    # (a scraper on a private network); elsewhere it is always public.
    metrics_public: bool = False

    log_format: Literal["json", "text"] = "json"
    log_level: str = "INFO"

    @field_validator("webhook_allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment != "development":
            if self.secret_key == DEFAULT_SECRET:
                raise ValueError("GRADEBOX_SECRET_KEY must be set outside development")
            if len(self.secret_key) < 16:
                raise ValueError("GRADEBOX_SECRET_KEY must be at least 16 characters")
        if self.environment == "production" and not self.cookie_secure:
            raise ValueError(
                "GRADEBOX_COOKIE_SECURE=false is refused in production: session cookies "
                "would travel over plain HTTP"
            )
        return self

    @property
    def judge_cache_dir(self) -> Path:
        """The one place the judge cache's folder is resolved."""
        return self.judge_cache if self.judge_cache is not None else self.data_dir / "judge-cache"

    @property
    def metrics_anonymous(self) -> bool:
        """Whether `/metrics` answers anonymous clients."""
        return self.environment != "production" or self.metrics_public


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
