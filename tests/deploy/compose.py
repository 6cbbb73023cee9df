"""The Compose implementations the stack supports, by name, and the environment to run
them in. Debian's docker-compose 1.29 and Compose v2 (`docker compose`, the CLI plugin
scripts/setup-system installs); tests/deploy parametrize over them."""

from __future__ import annotations

import os

COMPOSE: dict[str, list[str]] = {
    "compose-v1": ["docker-compose"],
    "compose-v2": ["docker", "compose"],
}


def compose_env() -> dict[str, str]:
    """The caller's environment less its GRADEBOX_* variables: compose reads those from
    the env file only (the shell's would win over it)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GRADEBOX_")}
