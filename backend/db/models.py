"""The ORM model. API shapes live in `backend.schemas`; these are storage only.

User --< WebSession, ApiToken
Problem --< ProblemVersion ---- PackageBlob (by content hash)
Problem >--< User through ProblemMaintainer (instructors granted a problem they don't own)
Submission (pins a ProblemVersion) --< TestResultRow
           ---- JudgeJob (the queue row: lease, attempts)
           --< WebhookDelivery (its callback, when it has one)
Judgehost (last seen, for /readyz)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from backend.db.types import UTCDateTime, enum_column, utcnow
from backend.enums import (
    DeliveryState,
    Difficulty,
    JobState,
    ProblemType,
    Role,
    SubmissionStatus,
    Verdict,
    Visibility,
)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, 16), default=Role.LEARNER)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    """A browser login: the cookie carries the token, the row its hash and the CSRF hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to recognise a token
    scopes: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class Problem(Base):
    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, 16), default=Visibility.PUBLIC
    )
    # The instructor who uploaded it; for problems bundled with the server an admin (or
    # None: then only admins manage it). Other instructors only through a grant.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("problem_versions.id", use_alter=True, name="fk_problems_current_version")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    current_version: Mapped[ProblemVersion | None] = relationship(
        foreign_keys=[current_version_id], lazy="joined", post_update=True
    )
    maintainers: Mapped[list[User]] = relationship(
        secondary="problem_maintainers", lazy="selectin", viewonly=True
    )


class ProblemMaintainer(Base):
    """A grant: this instructor may manage this problem as if they owned it."""

    __tablename__ = "problem_maintainers"

    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProblemVersion(Base):
    """Immutable: a new package makes a new row; submissions pin the one they ran on."""

    __tablename__ = "problem_versions"
    __table_args__ = (UniqueConstraint("problem_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), ForeignKey("package_blobs.content_hash"))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[ProblemType] = mapped_column(enum_column(ProblemType, 16))
    difficulty: Mapped[Difficulty] = mapped_column(enum_column(Difficulty, 16))
    tags: Mapped[list[Any]] = mapped_column(JSON)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # problem.yaml as normalised
    statement_md: Mapped[str] = mapped_column(Text)  # in spec["statement_language"]
    # The statements in other languages, {lang: markdown}; null before 0009_statements.
    statements: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    editorial_md: Mapped[str | None] = mapped_column(Text)
    templates: Mapped[dict[str, Any]] = mapped_column(JSON)
    samples: Mapped[list[Any]] = mapped_column(JSON)  # [{name, input, output}]
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # validation report, if run
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PackageBlob(Base):
    """A package as a zip, by content hash: what judgehosts download and cache."""

    __tablename__ = "package_blobs"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key"),
        Index("ix_submissions_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    problem_version_id: Mapped[int] = mapped_column(ForeignKey("problem_versions.id"))
    language: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # Where the judged result is POSTed, signed with the webhook secret of the token
    # that submitted (so a callback needs a token).
    callback_url: Mapped[str | None] = mapped_column(String(2000))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_column(SubmissionStatus, 16), default=SubmissionStatus.QUEUED
    )
    verdict: Mapped[Verdict | None] = mapped_column(enum_column(Verdict, 8))
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    groups: Mapped[list[Any]] = mapped_column(JSON, default=list)
    compile_output: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    judged_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")
    problem: Mapped[Problem] = relationship(lazy="joined")
    version: Mapped[ProblemVersion] = relationship(lazy="joined")


class TestResultRow(Base):
    """One finished test of one submission; unique by name so re-posting is harmless."""

    __tablename__ = "test_results"
    __table_args__ = (UniqueConstraint("submission_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(100))
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict, 8))
    time_ms: Mapped[int] = mapped_column(Integer, default=0)
    memory_kb: Mapped[int] = mapped_column(Integer, default=0)
    visible: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A targeted hint (problem.yaml `hints`); never hidden data, so kept for every test.
    hint: Mapped[str | None] = mapped_column(Text)
    input: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    stderr: Mapped[str | None] = mapped_column(Text)
    # What input/expected/actual are ({"input": {"binary", "size"}, ...}, graders'
    # `ShownData`); null for hidden tests and for rows stored before 0010_enums.
    views: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JudgeJob(Base):
    """The queue: one row per submission; a claim sets a lease that heartbeats renew."""

    __tablename__ = "judge_jobs"
    __table_args__ = (Index("ix_judge_jobs_state", "state", "capability", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[JobState] = mapped_column(enum_column(JobState, 16), default=JobState.QUEUED)
    capability: Mapped[str] = mapped_column(String(32), default="cpu")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_id: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None]
    judgehost: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str] = mapped_column(Text, default="")
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Judgehost(Base):
    __tablename__ = "judgehosts"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    capabilities: Mapped[list[Any]] = mapped_column(JSON)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    jobs_claimed: Mapped[int] = mapped_column(Integer, default=0)


class WebhookDelivery(Base):
    """One callback of one submission: its attempts, last answer and state. The row
    doubles as the delivery queue: `next_attempt_at` is also the lease of a sender."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(2000))
    event: Mapped[str] = mapped_column(String(64))
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState, 16), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text, default="")
    history: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{at, status, error}]
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]


class DataGeneration(Base):
    """One row, one counter: every transaction that writes adds one as it commits
    (`backend.db.generation`). A cached read names the value it was computed under,
    so a server process sees any commit, its own or another's, by reading one row."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
