"""Problem upload: an instructor's zip -> safe unpack -> validation -> a new version.

Validation runs the package's reference and known-bad solutions in the sandbox and
takes seconds, so it runs with no database transaction open (the route runs this in
a worker thread); the ownership check is therefore made twice: early, to refuse
quickly, and again in the transaction that writes the version, which is the one
that counts.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.archive import ArchiveError, ArchiveLimits, unpack
from backend.auth.principal import Principal
from backend.db.models import Problem
from backend.errors import BadPackage, Forbidden, PayloadTooLarge, problem_details
from backend.schemas.problems import ProblemVersionPublic
from backend.services import problems as problem_service
from backend.settings import Settings
from graders import ProblemFormatError, ValidationReport, load_package, validate_package
from sandbox import Sandbox

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,98}[a-z0-9]$")


def _package_root(tmp: Path, filename: str) -> Path:
    """`problem.yaml` at the top (slug from the file name) or in one top-level folder."""
    if (tmp / "problem.yaml").is_file():
        slug = Path(filename).name.removesuffix(".zip")
        root = tmp.parent / slug
        tmp.rename(root)
        return root
    entries = list(tmp.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / "problem.yaml").is_file():
        return entries[0]
    raise BadPackage(
        "the archive must hold problem.yaml at its top or in a single folder",
        code="no_problem_yaml",
    )


def upload(
    *,
    session: Session,
    settings: Settings,
    principal: Principal,
    data: bytes,
    filename: str,
    sandbox: Callable[[], Sandbox],
) -> ProblemVersionPublic:
    limits = ArchiveLimits(
        max_files=settings.max_package_files,
        max_entry_bytes=settings.max_package_entry_bytes,
        max_total_bytes=settings.max_package_bytes,
    )
    with tempfile.TemporaryDirectory(prefix="gradebox-upload-") as tmpdir:
        staging = Path(tmpdir) / "unpacked"
        try:
            unpack(data, staging, limits=limits)
        except ArchiveError as exc:
            cls = PayloadTooLarge if exc.too_large else BadPackage
            raise cls(str(exc), code=exc.code) from None
        root = _package_root(staging, filename or "package.zip")
        if not SLUG.match(root.name):
            raise BadPackage(
                f"problem slug {root.name!r} must be lowercase letters, digits and dashes",
                code="bad_slug",
            )
        existing = session.scalar(select(Problem).where(Problem.slug == root.name))
        if existing is not None and not problem_service.can_manage(principal, existing):
            raise Forbidden(
                f"problem {root.name!r} belongs to another instructor", code="not_problem_staff"
            )
        user_id = principal.user.id
        # No transaction stays open through the validation below (on SQLite it would
        # hold the write lock for seconds); nothing touches the ORM until it ends.
        session.rollback()
        try:
            package = load_package(root, generate=False)
        except ProblemFormatError as exc:
            raise BadPackage(str(exc), details=problem_details(exc)) from None
        report = validate_package(
            root, sandbox=sandbox(), cache_dir=settings.data_dir / "generated"
        )
        report_json = report.model_dump(mode="json")
        if not report.ok:
            raise BadPackage(
                f"package {root.name} failed validation",
                code="validation_failed",
                details=report_json,
            )
        problem, version, created = problem_service.import_package(
            session=session,
            root=root,
            owner_id=user_id,  # only used when the problem is new at write time
            created_by_id=user_id,
            report=report_json,
            package=package,
            # Checked again where the version is written: the check above is minutes
            # old by now (the race of a concurrent upload or a role change).
            may_write=lambda problem: problem_service.can_manage(principal, problem),
        )
        return ProblemVersionPublic(
            slug=problem.slug,
            version=version.version,
            content_hash=version.content_hash,
            report=_report(version.report),
            created=created,
        )


def _report(stored: dict[str, Any] | None) -> ValidationReport | None:
    """The stored report (JSON) as the API's model; None for versions stored without one."""
    return None if stored is None else ValidationReport.model_validate(stored)
