"""Problems: list and read for everybody, upload and publish for instructors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile, status
from fastapi.responses import JSONResponse, Response

from backend.api.deps import (
    CacheableRead,
    ProblemWriter,
    Reader,
    SandboxDep,
    SessionDep,
    SettingsDep,
    UserReader,
)
from backend.errors import PayloadTooLarge, error_responses
from backend.schemas.common import ListOf
from backend.schemas.kernel_history import KernelHistoryEntry
from backend.schemas.problems import (
    LeaderboardRow,
    ProblemDetail,
    ProblemSummary,
    ProblemUpdate,
    ProblemVersionPublic,
)
from backend.services import kernel_history
from backend.services import problems as problem_service
from backend.services import uploads as upload_service

router = APIRouter(prefix="/problems", tags=["problems"])


@router.get(
    "",
    response_model=ListOf[ProblemSummary],
    responses=error_responses(401, 403),
    dependencies=[CacheableRead],
)
def list_problems(
    principal: Reader,
    session: SessionDep,
    tag: str | None = None,
    q: str | None = None,
    track: str | None = None,
) -> ListOf[ProblemSummary]:
    """Public problems, plus hidden ones the caller manages; `solved`/`attempted` are the
    caller's own. `track` keeps the problems of one track."""
    rows = problem_service.list_problems(
        session=session, viewer=principal, tag=tag, q=q, track=track
    )
    return ListOf[ProblemSummary](data=rows, count=len(rows))


@router.get(
    "/{slug}",
    response_model=ProblemDetail,
    responses=error_responses(401, 403, 404, 422),
    dependencies=[CacheableRead],
)
def get_problem(
    slug: str,
    principal: Reader,
    session: SessionDep,
    lang: Annotated[
        str | None,
        Query(
            max_length=16,
            description="statement language, one of `statement_languages` (default: the "
            "package's own); another one is refused with 422 unknown_statement_language",
        ),
    ] = None,
) -> ProblemDetail:
    """Statement, samples, limits, languages and templates; the editorial once solved."""
    problem = problem_service.get_visible(
        session=session, viewer=principal, slug=slug, load_version=False
    )
    return problem_service.detail(session=session, viewer=principal, problem=problem, lang=lang)


@router.post(
    "",
    response_model=ProblemVersionPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": ProblemVersionPublic, "description": "Same content as the current version"},
        **error_responses(401, 403, 422, body=True),
    },
)
def upload_problem(
    file: Annotated[UploadFile, File(description="the package as a .zip")],
    principal: ProblemWriter,
    session: SessionDep,
    settings: SettingsDep,
    sandbox: SandboxDep,
) -> ProblemVersionPublic | JSONResponse:
    """Unpack safely, validate (reference solutions must pass), store a new version.

    422 `validation_failed` carries the validation report in `details`."""
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(
            f"archive is over {settings.max_upload_bytes} bytes", code="upload_too_large"
        )
    result = upload_service.upload(
        session=session,
        settings=settings,
        principal=principal,
        data=data,
        filename=file.filename or "package.zip",
        sandbox=sandbox,
    )
    if not result.created:
        return JSONResponse(result.model_dump(mode="json"), status_code=200)
    return result


@router.patch(
    "/{slug}",
    response_model=ProblemDetail,
    responses=error_responses(401, 403, 404, 422, body=True),
)
def update_problem(
    slug: str, body: ProblemUpdate, principal: ProblemWriter, session: SessionDep
) -> ProblemDetail:
    """Publish (`public`) or hide (`hidden`, a draft only its instructors see)."""
    problem = problem_service.set_visibility(
        session=session, viewer=principal, slug=slug, visibility=body.visibility
    )
    return problem_service.detail(session=session, viewer=principal, problem=problem)


@router.get(
    "/{slug}/leaderboard",
    response_model=ListOf[LeaderboardRow],
    responses=error_responses(401, 403, 404),
)
def get_leaderboard(
    slug: str,
    principal: Reader,
    session: SessionDep,
    gpu: Annotated[str | None, Query(max_length=200, description="one GPU model")] = None,
) -> ListOf[LeaderboardRow]:
    """Kernel problems: each user's best accepted speedup over the reference, per GPU
    model (ranked within a model); empty for problems whose grader reports no timing."""
    problem = problem_service.get_visible(session=session, viewer=principal, slug=slug)
    rows = problem_service.leaderboard(session=session, problem=problem, gpu=gpu)
    return ListOf[LeaderboardRow](data=rows, count=len(rows))


@router.get(
    "/{slug}/history",
    response_model=ListOf[KernelHistoryEntry],
    responses=error_responses(401, 403, 404, 409),
)
def get_kernel_history(
    slug: str, principal: UserReader, session: SessionDep
) -> ListOf[KernelHistoryEntry]:
    """Kernel problems: the caller's own verified timed submissions, oldest first, each
    shape's speedup against the caller's previous best on it (same GPU model); 409 for
    a problem that is not a kernel problem."""
    rows = kernel_history.history(session=session, viewer=principal, slug=slug)
    return ListOf[KernelHistoryEntry](data=rows, count=len(rows))


_SAMPLE_STEM = Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="e.g. 01")


@router.get(
    "/{slug}/samples/{sample}/{side}",
    response_class=Response,
    responses={
        200: {
            "content": {"application/octet-stream": {}},
            "description": "the sample file (.npz, .json or text), or one array as .npy",
        },
        **error_responses(401, 403, 404, 422),
    },
)
def download_sample(
    slug: str,
    sample: Annotated[str, _SAMPLE_STEM],
    side: Annotated[str, Path(pattern="^(input|output)$")],
    principal: Reader,
    session: SessionDep,
    array: Annotated[str | None, Query(max_length=64, description="one array, as .npy")] = None,
) -> Response:
    """A sample's input or expected output as the package holds it (tensor samples as
    `.npz`); with `?array=NAME` one of its arrays as `.npy`."""
    problem = problem_service.get_visible(session=session, viewer=principal, slug=slug)
    name, data = problem_service.sample_file(problem=problem, stem=sample, side=side, array=array)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
