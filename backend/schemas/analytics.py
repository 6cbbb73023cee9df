"""What instructors learn from their problems: attempts, solve rate, where learners fail."""

from __future__ import annotations

from pydantic import BaseModel, Field

from graders import Verdict


class FailingTest(BaseModel):
    name: str
    group: str
    failures: int = Field(description="submissions that failed this test")
    learners: int = Field(description="distinct users among them")
    verdicts: dict[Verdict, int] = Field(description="how they failed")


class HintStat(BaseModel):
    hint: str
    fired: int = Field(description="submissions the hint was shown on")
    learners: int


class ProblemAnalytics(BaseModel):
    slug: str
    name: str
    attempts: int = Field(description="submissions")
    learners: int = Field(description="distinct users who submitted")
    solvers: int = Field(description="distinct users with an accepted submission")
    solve_rate: float | None = Field(description="solvers / learners; null before any attempt")
    median_time_to_ac_s: float | None = Field(
        description="median, over solvers, of seconds from their first submission to their first AC"
    )
    median_attempts_to_ac: float | None = Field(
        description="median number of submissions up to and including the first AC"
    )
    failing_tests: list[FailingTest] = Field(description="most failed first (at most 10)")
    hints: list[HintStat] = Field(description="most fired first: the common misconceptions")
