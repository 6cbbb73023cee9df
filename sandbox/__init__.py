"""Isolated execution of untrusted programs.

The package knows nothing of problems or verdicts: it turns a `RunSpec` into a
`RunResult`. Backends are plugins registered in `sandbox.registry`.

This module is the public API the other layers import (an import-linter contract
in `pyproject.toml` keeps the backend to it).
"""

from sandbox.errors import SandboxError, SandboxUnavailable
from sandbox.languages import get_language
from sandbox.languages.base import UnknownLanguage
from sandbox.protocol import Sandbox, SandboxSession
from sandbox.registry import available_backends, degraded, get_sandbox, refuse_degraded
from sandbox.settings import SandboxSettings
from sandbox.settings import get_settings as sandbox_settings
from sandbox.spec import Limits, RunResult, RunSpec, RunStatus, Warm

__all__ = [
    "Limits",
    "RunResult",
    "RunSpec",
    "RunStatus",
    "Sandbox",
    "SandboxError",
    "SandboxSession",
    "SandboxSettings",
    "SandboxUnavailable",
    "UnknownLanguage",
    "Warm",
    "available_backends",
    "degraded",
    "get_language",
    "get_sandbox",
    "refuse_degraded",
    "sandbox_settings",
]
