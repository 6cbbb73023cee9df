"""The sandbox the service grades in (API process and judgehosts).

`GRADEBOX_SANDBOX` belongs to the sandbox layer (`sandbox/settings.py`); the service
adds one rule of its own here: `none` isolates nothing, so a server or judgehost
refuses it (the local `gradebox problem validate --sandbox none` may still use it).
"""

from __future__ import annotations

from sandbox import Sandbox, SandboxUnavailable, get_sandbox, sandbox_settings

REFUSED = "none"


def service_sandbox() -> Sandbox:
    """The backend `GRADEBOX_SANDBOX` names ("auto": the best available), never `none`;
    an unusable or unknown name is a `SandboxUnavailable` that names the variable."""
    name = sandbox_settings().sandbox
    if name == REFUSED:
        raise SandboxUnavailable(
            "GRADEBOX_SANDBOX=none is refused by the server and judgehosts: it isolates nothing"
        )
    try:
        return get_sandbox(name)
    except SandboxUnavailable as exc:
        raise SandboxUnavailable(f"GRADEBOX_SANDBOX={name!r}: {exc}") from None
