"""Settings of the remote commands (GRADEBOX_URL, GRADEBOX_TOKEN, ...); a module of
its own so that pydantic-settings loads only when a command talks to a server."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_config() -> Path:
    return Path("~/.config/gradebox/config.json").expanduser()


class ClientSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRADEBOX_", extra="ignore")

    url: str | None = None
    token: str | None = None
    # The file `gradebox login` writes (owner-only permissions): {url, token, ...}.
    cli_config: Path = Field(default_factory=_default_config)
    # How long one request keeps retrying transport errors, 5xx and 429.
    client_retry_s: float = Field(default=15.0, ge=0)
