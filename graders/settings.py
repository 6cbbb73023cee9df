"""Settings of the grading layer (environment variables with the GRADEBOX_ prefix)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

_REPO_ROOT = Path(__file__).resolve().parents[1]


class GraderSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRADEBOX_", env_file=".env", extra="ignore")

    # Generated tests are cached here, one folder per package content hash.
    cache_dir: Path = _REPO_ROOT / ".gradebox" / "cache"
    # Sessions a judgehost keeps started ahead per kind of session it serves (warm
    # interpreters included: `graders/warm_pool.py`); 0 starts each on demand.
    warm_pool: int = 0


@lru_cache(maxsize=1)
def get_settings() -> GraderSettings:
    return GraderSettings()
