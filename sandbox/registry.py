"""Backends by name (a `Registry`), and the choice of a default.

A backend module calls `register(name, factory, probe)` at import; adding a
backend touches its own file plus one import line in `_load_builtin`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.errors import SandboxUnavailable
from sandbox.plugins import Registry
from sandbox.protocol import Sandbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Entry:
    factory: Callable[[], Sandbox]
    probe: Callable[[], bool]  # cheap: can this backend run here?
    auto: bool  # may be picked automatically


def _unknown(name: str, known: str) -> SandboxUnavailable:
    return SandboxUnavailable(f"unknown sandbox backend {name!r} (known: {known})")


_BACKENDS: Registry[str, _Entry] = Registry(_unknown)
# Preference order for automatic choice; `none` is never chosen automatically.
AUTO_ORDER = ("docker", "bwrap")


def register(
    name: str, factory: Callable[[], Sandbox], probe: Callable[[], bool], *, auto: bool = True
) -> None:
    _BACKENDS.register(name, _Entry(factory, probe, auto))


def _load_builtin() -> None:
    import sandbox.backends  # noqa: F401  (registers the built-in backends)


def available_backends() -> list[str]:
    _load_builtin()
    return [name for name in _BACKENDS if _BACKENDS.get(name).probe()]


def get_sandbox(name: str | None = None) -> Sandbox:
    """Return the named backend; None means the `GRADEBOX_SANDBOX` setting, whose
    default "auto" picks the best one available."""
    _load_builtin()
    if name is None:
        from sandbox.settings import get_settings

        name = get_settings().sandbox
    if name and name != "auto":
        entry = _BACKENDS.get(name)
        if not entry.probe():
            raise SandboxUnavailable(f"sandbox backend {name!r} is not usable on this host")
        return entry.factory()
    for candidate in AUTO_ORDER:
        if candidate not in _BACKENDS:
            continue
        entry = _BACKENDS.get(candidate)
        if entry.auto and entry.probe():
            log.info("sandbox: using %s backend", candidate)
            return entry.factory()
    raise SandboxUnavailable(
        "no isolating sandbox backend is available (install bubblewrap or Docker)"
    )


def degraded(sandbox: Sandbox) -> str | None:
    """Why `sandbox` isolates less than its backend's normal mode (None: it does not).
    Shown by the backend's `/readyz`."""
    reason = getattr(sandbox, "degraded", None)
    return str(reason) if reason else None


def refuse_degraded(sandbox: Sandbox) -> None:
    """For production start-up: a weaker mode (bwrap without root) only when the
    `GRADEBOX_ALLOW_UNPRIVILEGED_BWRAP` setting allows it."""
    from sandbox.settings import get_settings

    reason = degraded(sandbox)
    if reason and not get_settings().allow_unprivileged_bwrap:
        raise SandboxUnavailable(
            f"refusing a degraded sandbox ({reason}); run the judge as root, use Docker, "
            "or set GRADEBOX_ALLOW_UNPRIVILEGED_BWRAP=true"
        )
