"""Per-problem analytics for its instructors, computed from submissions and test rows.

Runs are not stored, so they never count; every judged or queued submission does.
Hidden tests appear by name and verdict only (what their instructors already see).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.principal import Principal
from backend.db.models import Problem, Submission, TestResultRow
from backend.errors import Forbidden
from backend.schemas.analytics import FailingTest, HintStat, ProblemAnalytics
from backend.services import problems as problem_service
from graders import Verdict

TOP_TESTS = 10


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def for_problem(*, session: Session, problem: Problem) -> ProblemAnalytics:
    subs = session.execute(
        select(Submission.id, Submission.user_id, Submission.verdict, Submission.created_at)
        .where(Submission.problem_id == problem.id)
        .order_by(Submission.created_at, Submission.id)
    ).all()
    by_user: dict[int, list[tuple[Verdict | None, datetime]]] = defaultdict(list)
    for _, user_id, verdict, created_at in subs:
        by_user[user_id].append((verdict, created_at))
    times: list[float] = []
    tries: list[float] = []
    for history in by_user.values():
        for index, (verdict, created_at) in enumerate(history):
            if verdict == Verdict.AC:
                times.append((created_at - history[0][1]).total_seconds())
                tries.append(float(index + 1))
                break
    owner = {sub_id: user_id for sub_id, user_id, _, _ in subs}
    rows = session.execute(
        select(
            TestResultRow.submission_id,
            TestResultRow.name,
            TestResultRow.group,
            TestResultRow.verdict,
            TestResultRow.hint,
        )
        .join(Submission, Submission.id == TestResultRow.submission_id)
        .where(Submission.problem_id == problem.id)
    ).all()
    failures: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    hints: dict[str, set[int]] = defaultdict(set)
    for sub_id, name, group, verdict, hint in rows:
        if verdict != Verdict.AC:
            failures[(name, group)].append((sub_id, verdict))
        if hint:
            hints[hint].add(sub_id)
    failing = [
        FailingTest(
            name=name,
            group=group,
            failures=len({sub for sub, _ in items}),
            learners=len({owner[sub] for sub, _ in items}),
            verdicts=dict(Counter(Verdict(v) for _, v in items)),
        )
        for (name, group), items in failures.items()
    ]
    failing.sort(key=lambda t: (-t.failures, t.name))
    hint_stats = [
        HintStat(hint=text, fired=len(subs_), learners=len({owner[s] for s in subs_}))
        for text, subs_ in hints.items()
    ]
    hint_stats.sort(key=lambda h: (-h.fired, h.hint))
    learners = len(by_user)
    solvers = len(times)
    version = problem.current_version
    return ProblemAnalytics(
        slug=problem.slug,
        name=version.name if version else problem.slug,
        attempts=len(subs),
        learners=learners,
        solvers=solvers,
        solve_rate=round(solvers / learners, 4) if learners else None,
        median_time_to_ac_s=_median(times),
        median_attempts_to_ac=_median(tries),
        failing_tests=failing[:TOP_TESTS],
        hints=hint_stats,
    )


def problem_analytics(*, session: Session, viewer: Principal, slug: str) -> ProblemAnalytics:
    problem = problem_service.get_visible(session=session, viewer=viewer, slug=slug)
    if not problem_service.can_manage(viewer, problem):
        raise Forbidden(
            "only the problem's instructors see its analytics", code="not_problem_staff"
        )
    return for_problem(session=session, problem=problem)


def managed_analytics(*, session: Session, viewer: Principal) -> list[ProblemAnalytics]:
    problems = session.scalars(
        select(Problem).where(Problem.current_version_id.is_not(None)).order_by(Problem.slug)
    ).all()
    return [
        for_problem(session=session, problem=p)
        for p in problems
        if problem_service.can_manage(viewer, p)
    ]
