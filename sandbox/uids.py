"""Which uid learner code runs as: a fresh unprivileged one per session.

Not 65534 (nobody): on some hosts real files belong to nobody (this project's CI
host owns /dev/null as 65534, and bwrap binds host device nodes, so a learner running
as nobody could chmod the judge's /dev/null), and RLIMIT_NPROC counts processes per
uid host-wide, so a shared uid would let one submission's fork bomb starve another's
tests. The range sits above subuid ranges and systemd's dynamic users; no account,
file or other session owns these uids.
"""

from __future__ import annotations

import secrets

SESSION_UID_BASE = 1_000_000
SESSION_UID_SPAN = 1_000_000


def session_uid() -> int:
    return SESSION_UID_BASE + secrets.randbelow(SESSION_UID_SPAN)
