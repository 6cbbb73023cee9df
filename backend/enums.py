"""The backend's closed sets, one `StrEnum` each, shared by every layer that holds them.

The same enum types the ORM column (`backend.db.models`, a non-native `Enum` storing
the value), the API schema (`backend.schemas`, so OpenAPI and the generated
TypeScript client list the values) and the services' comparisons; no layer spells
the strings itself. The sets a problem package declares (type, difficulty,
visibility) and the verdicts belong to `graders` and are re-exported here, so the
backend has one place to import closed sets from.
"""

from __future__ import annotations

from enum import StrEnum

from graders import Difficulty, ProblemType, Verdict, Visibility


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class SubmissionStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    JUDGED = "judged"
    # Kernel problems: correct on CPU, timing waits for a judgehost with a GPU.
    AWAITING_GPU = "awaiting_gpu"


class JobState(StrEnum):
    """A judge job in the queue table: claimable, leased to a judgehost, finished."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


__all__ = [
    "DeliveryState",
    "Difficulty",
    "JobState",
    "ProblemType",
    "Role",
    "SubmissionStatus",
    "Verdict",
    "Visibility",
]
