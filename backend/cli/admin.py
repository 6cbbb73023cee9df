"""`gradebox admin`: accounts and tokens from the server's shell (no HTTP needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from backend.cli.config import load_settings
from backend.cli.main import app, command_group

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from backend.settings import Settings

admin_app = command_group("Administer users and tokens.")
app.add_typer(admin_app, name="admin")


def _session() -> tuple[Settings, Session]:
    from backend.db.migrate import upgrade
    from backend.db.session import make_engine, make_sessionmaker
    from backend.settings import Settings

    settings = load_settings(Settings)
    upgrade(settings.database_url)
    return settings, make_sessionmaker(make_engine(settings.database_url))()


def _fail(message: str, *, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _role(name: str):  # type: ignore[no-untyped-def]
    from backend.enums import Role

    try:
        return Role(name)
    except ValueError:
        raise _fail(f"unknown role {name!r} (learner, instructor, admin)", code=2) from None


@admin_app.command("create-user")
def create_user(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="learner | instructor | admin")] = "learner",
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, envvar="GRADEBOX_PASSWORD"
        ),
    ] = "",
) -> None:
    """Create an account with any role (registration only makes learners)."""
    from backend.errors import ServiceError

    chosen = _role(role)
    _, session = _session()
    with session:
        from backend.services import users

        try:
            user = users.create_user(
                session=session, username=username, password=password, role=chosen
            )
        except ServiceError as exc:
            raise _fail(exc.message) from None
    typer.echo(f"created {user.role} {user.username} (id {user.id})")


@admin_app.command("create-token")
def create_token(
    username: Annotated[str, typer.Argument()],
    scope: Annotated[
        list[str], typer.Option("--scope", "-s", help="submit, read, problems:write, judge")
    ] = ["submit", "read"],  # noqa: B006  (typer reads the default)
    name: Annotated[str, typer.Option(help="a label for the token")] = "cli",
) -> None:
    """Create an API token and print it (once). Judge tokens need an admin user."""
    from backend.errors import ServiceError
    from backend.schemas.tokens import Scope
    from backend.services import tokens, users
    from backend.services.webhooks_signing import derive_secret

    try:
        scopes = [Scope(s) for s in scope]
    except ValueError as exc:
        raise _fail(str(exc), code=2) from None
    settings, session = _session()
    with session:
        user = users.get_by_username(session=session, username=username)
        if user is None:
            raise _fail(f"no user {username!r}")
        try:
            token, secret = tokens.create(
                session=session, settings=settings, user=user, name=name, scopes=scopes
            )
        except ServiceError as exc:
            raise _fail(exc.message) from None
        webhook_secret = derive_secret(settings.secret_key, token.token_hash)
    typer.echo(f"webhook secret (signs this token's callbacks): {webhook_secret}", err=True)
    typer.echo(secret)


@admin_app.command("set-role")
def set_role(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="learner | instructor | admin")],
) -> None:
    """Change a user's role, e.g. make a registered learner an instructor."""
    from backend.errors import ServiceError
    from backend.services import users

    chosen = _role(role)
    _, session = _session()
    with session:
        try:
            user = users.set_role(session=session, username=username, role=chosen)
        except ServiceError as exc:
            raise _fail(exc.message) from None
    typer.echo(f"{user.username} is now {user.role}")


@admin_app.command("grant")
def grant(
    problem: Annotated[str, typer.Argument(help="problem slug")],
    username: Annotated[str, typer.Argument(help="an instructor")],
    revoke: Annotated[bool, typer.Option("--revoke", help="take the grant back")] = False,
) -> None:
    """Let an instructor manage a problem they don't own (e.g. a bundled one)."""
    from backend.errors import ServiceError
    from backend.services import problems

    _, session = _session()
    with session:
        try:
            problems.grant_maintainer(
                session=session, slug=problem, username=username, granted=not revoke
            )
        except ServiceError as exc:
            raise _fail(exc.message) from None
    typer.echo(f"{username} {'no longer maintains' if revoke else 'maintains'} {problem}")


@admin_app.command("list-users")
def list_users() -> None:
    """Every account with its role."""
    from backend.services import users

    _, session = _session()
    with session:
        for user in users.list_users(session=session):
            state = "" if user.is_active else "  (disabled)"
            typer.echo(f"{user.id:>5}  {user.username:<24} {user.role}{state}")
