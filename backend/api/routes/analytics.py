"""Analytics: what instructors learn from their problems (instructors and admins only)."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import ProblemWriter, SessionDep
from backend.errors import error_responses
from backend.schemas.analytics import ProblemAnalytics
from backend.schemas.common import ListOf
from backend.services import analytics as analytics_service

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.get(
    "/problems", response_model=ListOf[ProblemAnalytics], responses=error_responses(401, 403)
)
def list_problem_analytics(
    principal: ProblemWriter, session: SessionDep
) -> ListOf[ProblemAnalytics]:
    """Every problem the caller manages: attempts, solve rate, time to first AC, the
    tests learners fail most and which hints fired how often."""
    rows = analytics_service.managed_analytics(session=session, viewer=principal)
    return ListOf[ProblemAnalytics](data=rows, count=len(rows))


@router.get(
    "/problems/{slug}", response_model=ProblemAnalytics, responses=error_responses(401, 403, 404)
)
def get_problem_analytics(
    slug: str, principal: ProblemWriter, session: SessionDep
) -> ProblemAnalytics:
    """One managed problem's analytics (403 for another instructor's problem)."""
    return analytics_service.problem_analytics(session=session, viewer=principal, slug=slug)
