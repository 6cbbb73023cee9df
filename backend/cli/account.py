"""`gradebox login` and `gradebox token create | list | revoke`.

Minting a token needs a browser-style session (a bearer token cannot mint: see
docs/design-notes.md), so `login` and `token create` sign in with the username and
password, mint, and sign out again at once. `login` stores the token in the CLI
config file (`GRADEBOX_CLI_CONFIG`, default `~/.config/gradebox/config.json`, mode
0600); `token create` prints it (and its webhook secret) for a CI secret store.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backend.cli.client import (
    DEFAULT_URL,
    EXIT_USAGE,
    Api,
    CliError,
    JsonOpt,
    TokenOpt,
    UrlOpt,
    client_settings,
    connect,
    read_config,
    reporting,
    write_config,
)
from backend.cli.main import app, command_group

if TYPE_CHECKING:
    pass

token_app = command_group("Create, list and revoke API tokens.")
app.add_typer(token_app, name="token")

_SCOPES = ("submit", "read", "problems:write")
UserOpt = Annotated[str, typer.Option("--username", "-u", prompt=True, envvar="GRADEBOX_USERNAME")]
PasswordOpt = Annotated[str, typer.Option(prompt=True, hide_input=True, envvar="GRADEBOX_PASSWORD")]
ScopeOpt = Annotated[
    list[str] | None,
    typer.Option("--scope", "-s", help="submit, read, problems:write (default: submit, read)"),
]


def _mint(url: str, username: str, password: str, name: str, scopes: list[str]) -> dict[str, Any]:
    unknown = [s for s in scopes if s not in _SCOPES]
    if unknown:
        raise CliError(f"unknown scope {unknown[0]!r} (one of {', '.join(_SCOPES)})", EXIT_USAGE)
    settings = client_settings()
    with Api(url, None, retry_s=settings.client_retry_s) as api:
        response = api.call(
            "POST",
            "/api/v1/auth/login",
            json={"username": username, "password": password},
            allow=(401,),
        )
        if response.status_code == 401:
            raise CliError(f"login refused for {username!r}: wrong username or password", 2)
        csrf = {"X-CSRF-Token": api.client.cookies.get("gradebox_csrf") or ""}
        try:
            created: dict[str, Any] = api.call(
                "POST", "/api/v1/tokens", headers=csrf, json={"name": name, "scopes": scopes}
            ).json()
        finally:
            try:
                api.call("POST", "/api/v1/auth/logout", headers=csrf)
            except CliError:
                pass  # the session expires by itself; the token is what matters
    return created


def _base_url(url: str | None) -> str:
    settings = client_settings()
    return url or settings.url or read_config(settings.cli_config).get("url") or DEFAULT_URL


@app.command("login")
def login(
    username: UserOpt,
    password: PasswordOpt,
    url: UrlOpt = None,
    name: Annotated[str, typer.Option(help="a label for the token")] = "gradebox-cli",
    scope: ScopeOpt = None,
) -> None:
    """Sign in, mint an API token and store it (owner-only file) for later commands."""
    settings = client_settings()
    with reporting():
        base = _base_url(url)
        created = _mint(base, username, password, name, scope or ["submit", "read"])
        write_config(
            settings.cli_config,
            {
                "url": base,
                "username": username,
                "token": created["token"],
                "token_id": created["id"],
                "webhook_secret": created["webhook_secret"],
            },
        )
    from rich.console import Console

    console = Console(highlight=False)
    console.print(f"logged in to {base} as {username}; token {created['prefix']}... stored in")
    console.print(f"  {settings.cli_config}", markup=False)


@token_app.command("create")
def token_create(
    username: UserOpt,
    password: PasswordOpt,
    url: UrlOpt = None,
    name: Annotated[str, typer.Option(help="a label for the token")] = "ci",
    scope: ScopeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the token as JSON")] = False,
) -> None:
    """Mint a token (shown once, with its webhook secret) for a CI secret store."""
    with reporting():
        created = _mint(_base_url(url), username, password, name, scope or ["submit", "read"])
    if as_json:
        typer.echo(json.dumps(created, indent=2))
        return
    typer.echo(f"token (id {created['id']}, scopes {', '.join(created['scopes'])}):")
    typer.echo(created["token"])
    typer.echo("webhook secret (verifies callbacks; shown once):")
    typer.echo(created["webhook_secret"])


@token_app.command("list")
def token_list(
    url: UrlOpt = None,
    token: TokenOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The caller's tokens (never their secrets)."""
    with reporting(), connect(url, token) as api:
        rows = api.call("GET", "/api/v1/tokens").json()["data"]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    table = Table()
    for column in ("id", "name", "scopes", "prefix", "last used", "revoked"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["name"],
            ",".join(row["scopes"]),
            row["prefix"],
            row["last_used_at"] or "-",
            row["revoked_at"] or "-",
        )
    from rich.console import Console

    Console(highlight=False).print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="the token's id (see `gradebox token list`)")],
    url: UrlOpt = None,
    token: TokenOpt = None,
) -> None:
    """Revoke one of the caller's tokens (it may be the one in use)."""
    with reporting(), connect(url, token) as api:
        api.call("DELETE", f"/api/v1/tokens/{token_id}")
    typer.echo(f"revoked token {token_id}")
