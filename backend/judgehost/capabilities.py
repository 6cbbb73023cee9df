"""Which job capabilities a judgehost may claim on this host (`gpu` needs a GPU)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from graders import DeviceInfo, describe_device

log = logging.getLogger(__name__)


def advertised_capabilities(
    requested: list[str], describe: Callable[[], DeviceInfo | None] | None = None
) -> list[str]:
    """What a judgehost may claim: `gpu` only when a GPU answers (nvidia-smi lists one),
    refined to `gpu:<model>`; without one it is dropped, loudly, so kernel timing waits
    in the queue for a real GPU instead of being "timed" on a CPU."""
    wants_gpu = [c for c in requested if c.split(":", 1)[0] == "gpu"]
    if not wants_gpu:
        return list(requested)
    info = (describe or describe_device)()
    others = [c for c in requested if c not in wants_gpu]
    if info is None:
        log.warning("no GPU answers on this host: not claiming %s jobs", ",".join(wants_gpu))
        return others
    model = info.model.replace(" ", "-")
    return [*others, *(c if ":" in c else f"gpu:{model}" for c in wants_gpu)]
