"""Runs: execute the current code on the samples and custom input, without submitting."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import RunGateDep, SandboxDep, SessionDep, SettingsDep, Submitter
from backend.errors import error_responses
from backend.schemas.runs import RunCreate, RunPublic
from backend.services import runs as run_service

router = APIRouter(prefix="/runs", tags=["runs"])


@router.post(
    "",
    response_model=RunPublic,
    responses=error_responses(401, 403, 404, 422, 429, 503, body=True),
)
def create_run(
    body: RunCreate,
    principal: Submitter,
    session: SessionDep,
    settings: SettingsDep,
    gate: RunGateDep,
    sandbox: SandboxDep,
) -> RunPublic:
    """Run the code on every sample (`samples`) and on one custom input, in the same
    sandbox and limits as grading, and answer with the results (output, expected
    output, numeric feedback). A custom input's expected output is the reference
    solution's. Nothing is stored; 429 past the per-user run limit, 503 `runs_busy`
    when every run worker stays busy."""
    return run_service.run(
        session=session,
        settings=settings,
        principal=principal,
        data=body,
        gate=gate,
        sandbox=sandbox,
    )
