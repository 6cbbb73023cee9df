"""Problems and their immutable versions: listing, reading, importing packages.

Who may see what: public problems are for everybody; hidden ones (drafts) only for
those who manage them: admins, the instructor who uploaded them, and any instructor
for problems bundled with the server (no owner). Hidden tests are never part of a
version's public data: only the samples are copied out of the package.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, lazyload

from backend.archive import pack_dir
from backend.auth.principal import Principal
from backend.db.models import (
    PackageBlob,
    Problem,
    ProblemMaintainer,
    ProblemVersion,
    Submission,
    TestResultRow,
    User,
)
from backend.enums import Role, Verdict, Visibility
from backend.errors import Forbidden, InvalidInput, NotFound
from backend.schemas.problems import (
    LanguagePublic,
    LeaderboardRow,
    ProblemDetail,
    ProblemSummary,
)
from backend.services import problem_views
from backend.services import samples as sample_service
from backend.services.problem_views import VersionView
from graders import Package, load_package
from graders import scan_files as scan

log = logging.getLogger(__name__)


def can_manage(viewer: Principal | None, problem: Problem) -> bool:
    """Admins manage every problem; an instructor the ones they own or were granted.

    Bundled problems belong to an admin (or to no one), so no instructor may replace
    or see the submissions of one without a grant (`grant_maintainer`).
    """
    if viewer is None:
        return False
    if viewer.role is Role.ADMIN:
        return True
    if viewer.role is not Role.INSTRUCTOR:
        return False
    uid = viewer.user.id
    return problem.owner_id == uid or any(user.id == uid for user in problem.maintainers)


def find(*, session: Session, slug: str) -> Problem | None:
    return session.scalar(select(Problem).where(Problem.slug == slug))


def grant_maintainer(*, session: Session, slug: str, username: str, granted: bool = True) -> None:
    """Give (or take back) an instructor the right to manage a problem they don't own."""
    problem = find(session=session, slug=slug)
    if problem is None:
        raise NotFound(f"no problem {slug!r}", code="problem_not_found")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}", code="user_not_found")
    if granted and Role(user.role) is not Role.INSTRUCTOR:
        raise InvalidInput(f"{username} is not an instructor", code="not_an_instructor")
    row = session.get(ProblemMaintainer, (problem.id, user.id))
    if granted and row is None:
        session.add(ProblemMaintainer(problem_id=problem.id, user_id=user.id))
    elif not granted and row is not None:
        session.delete(row)
    session.commit()
    session.expire(problem)


def _bundled_owner(session: Session) -> int | None:
    """The account bundled problems belong to: the first admin, if there is one."""
    return session.scalar(select(User.id).where(User.role == Role.ADMIN).order_by(User.id).limit(1))


def can_see(viewer: Principal | None, problem: Problem) -> bool:
    return problem.visibility == Visibility.PUBLIC or can_manage(viewer, problem)


def get_visible(
    *, session: Session, viewer: Principal | None, slug: str, load_version: bool = True
) -> Problem:
    """The problem if the viewer may see it; `load_version=False` leaves its current
    version's row unloaded (until touched) for callers that read only its view."""
    query = select(Problem).where(Problem.slug == slug)
    if not load_version:
        query = query.options(lazyload(Problem.current_version))
    problem = session.scalar(query)
    if problem is None or problem.current_version_id is None or not can_see(viewer, problem):
        raise NotFound(f"no problem {slug!r}", code="problem_not_found")
    return problem


def _progress(session: Session, viewer: Principal | None) -> dict[int, tuple[bool, bool]]:
    """problem id -> (solved, attempted) for the viewer."""
    if viewer is None:
        return {}
    rows = session.execute(
        select(
            Submission.problem_id,
            func.max(case((Submission.verdict == Verdict.AC, 1), else_=0)),
        )
        .where(Submission.user_id == viewer.user.id)
        .group_by(Submission.problem_id)
    )
    return {pid: (bool(solved), True) for pid, solved in rows}


def _summary(
    problem: Problem, view: VersionView, progress: dict[int, tuple[bool, bool]]
) -> ProblemSummary:
    solved, attempted = progress.get(problem.id, (False, False))
    return ProblemSummary(
        slug=problem.slug,
        name=view.name,
        type=view.type,
        difficulty=view.difficulty,
        tags=list(view.tags),
        visibility=Visibility(problem.visibility),
        solved=solved,
        attempted=attempted,
        track=view.track,
    )


def list_problems(
    *,
    session: Session,
    viewer: Principal | None,
    tag: str | None = None,
    q: str | None = None,
    track: str | None = None,
) -> list[ProblemSummary]:
    # The versions' rows are not loaded: their views are cached (problem_views). Nor
    # are the maintainers: only hidden problems, seen by an instructor, ask for them.
    problems = session.scalars(
        select(Problem)
        .options(lazyload(Problem.current_version), lazyload(Problem.maintainers))
        .where(Problem.current_version_id.is_not(None))
        .order_by(Problem.id)
    ).all()
    progress = _progress(session, viewer)
    out = []
    for problem in problems:
        if not can_see(viewer, problem):
            continue
        assert problem.current_version_id is not None
        summary = _summary(
            problem, problem_views.view(session, problem.current_version_id), progress
        )
        if tag and tag not in summary.tags:
            continue
        if track and (summary.track is None or summary.track.id != track):
            continue
        if q and q.lower() not in f"{summary.slug} {summary.name}".lower():
            continue
        out.append(summary)
    return out


def languages_of(version: ProblemVersion) -> list[LanguagePublic]:
    return problem_views.languages_of(version.spec)


def check_language(problem: Problem, language: str) -> None:
    """Refuse a language the problem's current version does not accept."""
    assert problem.current_version is not None
    allowed = [lang.id for lang in languages_of(problem.current_version)]
    if language not in allowed:
        raise InvalidInput(
            f"language {language!r} is not accepted for {problem.slug} "
            f"(accepted: {', '.join(allowed)})",
            code="unknown_language",
            details={"accepted": allowed},
        )


def detail(
    *,
    session: Session,
    viewer: Principal | None,
    problem: Problem,
    lang: str | None = None,
) -> ProblemDetail:
    assert problem.current_version_id is not None
    view = problem_views.view(session, problem.current_version_id)
    statement_language, statement_md = view.statement(lang)
    progress = _progress(session, viewer)
    summary = _summary(problem, view, progress)
    show_editorial = summary.solved or can_manage(viewer, problem)
    return ProblemDetail(
        **summary.model_dump(),
        statement_md=statement_md,
        statement_language=statement_language,
        statement_languages=list(view.statements),
        samples=list(view.samples),
        limits=view.limits,
        languages=list(view.languages),
        templates=dict(view.templates),
        editorial_md=view.editorial_md if show_editorial else None,
        version=view.version,
        generators=list(view.generators),
    )


def sample_file(*, problem: Problem, stem: str, side: str, array: str | None) -> tuple[str, bytes]:
    """(download file name, bytes) of one sample file, or of one of its arrays."""
    version = problem.current_version
    assert version is not None
    stored = sample_service.find(list(version.samples), stem)
    data = sample_service.raw(stored, side)
    base = f"{problem.slug}-{stem}-{side}"
    if array is not None:
        return f"{base}-{array}.npy", sample_service.npy(data, array)
    if sample_service.is_binary(data) and data.startswith(b"PK"):
        return f"{base}.npz", data
    return f"{base}.{'json' if version.type == 'function' else 'txt'}", data


def set_visibility(
    *, session: Session, viewer: Principal, slug: str, visibility: Visibility
) -> Problem:
    problem = get_visible(session=session, viewer=viewer, slug=slug)
    if not can_manage(viewer, problem):
        raise Forbidden("only the problem's instructors may change it", code="not_problem_staff")
    problem.visibility = visibility
    session.commit()
    return problem


# --- importing packages ---------------------------------------------------------------


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return f"(binary, {len(data)} bytes)"


SAMPLES_FORMAT = 2  # samples stored with their binary files (base64), for the viewer


def _sample(name: str, data_in: bytes, data_out: bytes) -> dict[str, Any]:
    stored: dict[str, Any] = {"name": name, "input": _text(data_in), "output": _text(data_out)}
    for side, data in (("input", data_in), ("output", data_out)):
        if sample_service.is_binary(data):
            stored[f"{side}_b64"] = sample_service.encode_binary(data)
    stored["format"] = SAMPLES_FORMAT
    return stored


def _samples(package: Package) -> list[dict[str, Any]]:
    return [_sample(t.name, t.input, t.answer) for t in package.tests if t.visible]


def _extra_statements(package: Package) -> dict[str, str]:
    """The statements besides statement_md, which keeps the default language's."""
    default = package.spec.statement_language
    return {lang: text for lang, text in package.statements.items() if lang != default}


def import_package(
    *,
    session: Session,
    root: Path,
    owner_id: int | None,
    created_by_id: int | None = None,
    report: dict[str, Any] | None = None,
    package: Package | None = None,
    may_write: Callable[[Problem], bool] | None = None,
) -> tuple[Problem, ProblemVersion, bool]:
    """Store the package at `root` as the problem's next version, unless its content hash
    equals the current one; returns (problem, version, created).

    `may_write` is asked, in the transaction that writes the version and with the
    problem's row locked, whether the caller may still write to an existing problem:
    an upload's earlier check can be stale by the time its validation ends (another
    instructor created the slug, or the caller's role changed).
    """
    package = package or load_package(root, generate=False)
    problem = session.scalar(
        select(Problem).where(Problem.slug == package.slug).with_for_update(of=Problem)
    )
    if problem is not None and may_write is not None and not may_write(problem):
        session.rollback()
        raise Forbidden(
            f"problem {package.slug!r} belongs to another instructor", code="not_problem_staff"
        )
    if problem is None:
        problem = Problem(slug=package.slug, visibility=package.spec.visibility, owner_id=owner_id)
        session.add(problem)
        session.flush()
    current = problem.current_version
    if current is not None and current.content_hash == package.content_hash:
        if any(s.get("format") != SAMPLES_FORMAT for s in current.samples):
            # Derived data stored before the sample viewer existed: refresh it in place.
            current.samples = _samples(package)
            session.commit()
            problem_views.forget(session, current.id)
        if current.statements is None and _extra_statements(package):
            # Stored before 0009_statements: the translations were in the package only.
            current.statements = _extra_statements(package)
            session.commit()
            problem_views.forget(session, current.id)
        return problem, current, False
    if session.get(PackageBlob, package.content_hash) is None:
        data = pack_dir(root, scan(root), prefix=package.slug)
        session.add(PackageBlob(content_hash=package.content_hash, data=data, size=len(data)))
    number = (
        session.scalar(
            select(func.max(ProblemVersion.version)).where(ProblemVersion.problem_id == problem.id)
        )
        or 0
    ) + 1
    spec = package.spec
    version = ProblemVersion(
        problem_id=problem.id,
        version=number,
        content_hash=package.content_hash,
        name=spec.name,
        type=spec.type,
        difficulty=spec.difficulty,
        tags=list(spec.tags),
        spec=spec.model_dump(mode="json"),
        statement_md=package.statement,
        statements=_extra_statements(package),
        editorial_md=package.editorial,
        templates=dict(package.templates),
        samples=_samples(package),
        report=report,
        created_by_id=created_by_id,
    )
    session.add(version)
    session.flush()
    problem.current_version = version
    session.commit()
    return problem, version, True


def sync_bundled(*, session: Session, problems_dir: Path) -> list[tuple[str, int, bool]]:
    """Load every package under `problems_dir`; a changed one becomes a new version."""
    out: list[tuple[str, int, bool]] = []
    if not problems_dir.is_dir():
        return out
    for root in sorted(p for p in problems_dir.iterdir() if (p / "problem.yaml").is_file()):
        try:
            problem, version, created = import_package(
                session=session, root=root, owner_id=_bundled_owner(session)
            )
        except Exception as exc:  # one bad package must not keep the server from starting
            session.rollback()
            log.error("skipping bundled problem %s: %s", root.name, exc)
            continue
        out.append((problem.slug, version.version, created))
    return out


def package_blob(*, session: Session, content_hash: str) -> bytes:
    blob = session.get(PackageBlob, content_hash)
    if blob is None:
        raise NotFound(f"no package {content_hash}", code="package_not_found")
    return blob.data


def leaderboard(
    *, session: Session, problem: Problem, gpu: str | None = None
) -> list[LeaderboardRow]:
    """Best accepted submission per user and GPU model by speedup, for problems whose
    grader reports timing: a test's `feedback` with `speedup` (and optionally `gbps`,
    `gpu`). The kernel grader puts the submission's score (the geometric mean of its
    per-shape speedups) in its `timing/score` row; per-shape rows carry
    `shape_speedup`, so they do not compete. Speedups on different GPUs are not
    comparable: rows are ranked within each model (`gpu` filters to one)."""
    rows = session.execute(
        select(Submission.id, User.username, TestResultRow.feedback)
        .join(User, Submission.user_id == User.id)
        .join(TestResultRow, TestResultRow.submission_id == Submission.id)
        .where(Submission.problem_id == problem.id, Submission.verdict == Verdict.AC)
    ).all()
    best: dict[tuple[str, str | None], LeaderboardRow] = {}
    for submission_id, username, feedback in rows:
        speedup = (feedback or {}).get("speedup")
        if not isinstance(speedup, int | float):
            continue
        model = str(feedback["gpu"]) if feedback.get("gpu") else None
        if gpu is not None and model != gpu:
            continue
        current = best.get((username, model))
        if current is None or speedup > current.speedup:
            gbps = feedback.get("gbps")
            best[(username, model)] = LeaderboardRow(
                user=username,
                speedup=float(speedup),
                gbps=float(gbps) if isinstance(gbps, int | float) else None,
                gpu=model,
                submission_id=submission_id,
            )
    return sorted(best.values(), key=lambda row: (row.gpu or "", -row.speedup, row.submission_id))
