"""The caller's history on a kernel problem: each verified timed submission's per-shape
combined time and speedup, with the best earlier result on that shape.

"Previous best" is taken per GPU model (times on different GPUs do not compare) and by
speedup, not raw time: the speedup is measured against `F.layer_norm` in the same run,
so it absorbs the clock and thermal drift between runs that a raw time carries. Only
shape rows the judge accepted count (a refused timing is no best to beat).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.principal import Principal
from backend.db.models import Submission, TestResultRow
from backend.errors import Conflict
from backend.schemas.kernel_history import KernelHistoryEntry, ShapeHistory
from backend.services import problems as problem_service
from graders import TIMING_GROUP, TIMING_SCORE_ROW, ProblemType, Verdict

SCORE_ROW = f"{TIMING_GROUP}/{TIMING_SCORE_ROW}"


def _number(feedback: dict[str, Any], key: str) -> float | None:
    value = feedback.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def history(*, session: Session, viewer: Principal, slug: str) -> list[KernelHistoryEntry]:
    """Oldest first, so each entry's previous best is the best of those above it."""
    problem = problem_service.get_visible(session=session, viewer=viewer, slug=slug)
    version = problem.current_version
    if version is None or version.type is not ProblemType.KERNEL:
        raise Conflict(f"{slug!r} is not a kernel problem: it has no timing history",
                       code="not_a_kernel_problem")  # fmt: skip
    rows = session.execute(
        select(Submission.id, Submission.created_at, TestResultRow)
        .join(TestResultRow, TestResultRow.submission_id == Submission.id)
        .where(
            Submission.user_id == viewer.user.id,
            Submission.problem_id == problem.id,
            Submission.verdict == Verdict.AC,
            TestResultRow.group == TIMING_GROUP,
        )
        .order_by(Submission.id, TestResultRow.id)
    ).all()
    entries: dict[int, KernelHistoryEntry] = {}
    for submission_id, created_at, row in rows:
        feedback = dict(row.feedback or {})
        entry = entries.setdefault(
            submission_id,
            KernelHistoryEntry(
                submission_id=submission_id, created_at=created_at, gpu=None, score=None, shapes=[]
            ),
        )
        if feedback.get("gpu"):
            entry.gpu = str(feedback["gpu"])
        if row.name == SCORE_ROW:
            entry.score = _number(feedback, "speedup")
            continue
        speedup = _number(feedback, "shape_speedup")
        if row.verdict != Verdict.AC or speedup is None:
            continue
        entry.shapes.append(
            ShapeHistory(
                shape=row.name.removeprefix(f"{TIMING_GROUP}/"),
                combined_ms=_number(feedback, "combined_ms"),
                speedup=speedup,
                previous_best_speedup=None,
                previous_best_ms=None,
                previous_best_submission_id=None,
                change=None,
            )
        )
    return _against_previous_best([e for e in entries.values() if e.shapes])


def _against_previous_best(entries: list[KernelHistoryEntry]) -> list[KernelHistoryEntry]:
    best: dict[tuple[str | None, str], tuple[float, float | None, int]] = {}
    for entry in entries:
        for shape in entry.shapes:
            key = (entry.gpu, shape.shape)
            if key in best:
                speedup, ms, submission_id = best[key]
                shape.previous_best_speedup = speedup
                shape.previous_best_ms = ms
                shape.previous_best_submission_id = submission_id
                shape.change = shape.speedup / speedup - 1
        for shape in entry.shapes:  # after the comparisons: a submission is not its own best
            key = (entry.gpu, shape.shape)
            if key not in best or shape.speedup > best[key][0]:
                best[key] = (shape.speedup, shape.combined_ms, entry.submission_id)
    return entries
