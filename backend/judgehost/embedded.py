"""The judgehost embedded in `gradebox server run`: the loop on a thread of the app,
with the in-process transport.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from backend.judgehost.capabilities import advertised_capabilities
from backend.judgehost.local_transport import LocalTransport
from backend.judgehost.loop import Judgehost, default_name

if TYPE_CHECKING:
    from fastapi import FastAPI


def start_embedded(app: FastAPI, stop: threading.Event) -> threading.Thread:
    """The judgehost of `gradebox server run`: a thread with the in-process transport."""
    settings = app.state.settings
    host = Judgehost(
        LocalTransport(app.state.sessionmaker, settings, app.state.metrics, app.state.notifier),
        name=f"embedded-{default_name()}",
        capabilities=advertised_capabilities(list(settings.embedded_capabilities)),
        cache_dir=settings.judge_cache_dir,
        sandbox=app.state.sandbox,
        poll_s=settings.judge_poll_s,
        wake=app.state.notifier.work,
        workers=settings.judge_workers,
    )
    thread = threading.Thread(target=host.run, args=(stop,), name="embedded-judgehost", daemon=True)
    thread.start()
    return thread
