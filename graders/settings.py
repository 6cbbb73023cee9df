"""Settings of the grading layer (environment variables with the GRADEBOX_ prefix).

Read here only, through `get_settings()` or `cache_root()`, never as a hidden default
elsewhere in `graders`; the backend passes its own folders and counts as arguments.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

_REPO_ROOT = Path(__file__).resolve().parents[1]


class GraderSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRADEBOX_", env_file=".env", extra="ignore")

    # Generated tests are cached here, one folder per package content hash.
    cache_dir: Path = _REPO_ROOT / ".gradebox" / "cache"
    # How many tests of one submission may run at once, each in a sandbox session of
    # its own (graders.lanes); default: the CPUs this process may use. 1: one by one.
    test_parallelism: int = Field(default_factory=lambda: _usable_cpus(), ge=1, le=64)
    # Sessions a judgehost keeps started ahead per kind of session it serves (warm
    # interpreters included: `graders/warm_pool.py`); 0 starts each on demand.
    warm_pool: int = 0


def _usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) or 1


@lru_cache(maxsize=1)
def get_settings() -> GraderSettings:
    return GraderSettings()


def cache_root(cache_dir: Path | None) -> Path:
    """The folder derived data (generated tests, hint outputs) is cached under: the
    caller's (the backend always names one under its data folder), else the setting."""
    return cache_dir if cache_dir is not None else get_settings().cache_dir
