"""What every CLI command that talks to a server shares: settings, the stored login,
one HTTP client with the shared retry policy, and the exit codes.

Exit codes (documented in docs/ci.md, the same for every remote command):

    0  success; for `submit`, accepted
    1  judged but not accepted; for `problem push`, the package is invalid
    2  usage or input error: bad arguments, missing or binary file, unknown problem or
       language, missing, revoked or expired token, any other request the server refused
    3  server or network error after retries (unreachable, 5xx, kept rate-limiting)
    4  timed out waiting for the verdict

Each failure is one line on stderr (`error: ...`), never a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from backend.cli.config import load_settings

if TYPE_CHECKING:
    import httpx

    from backend.cli.client_settings import ClientSettings

# httpx, pydantic-settings and the retry policy are imported where a request is
# made, not here: every command module imports this one, and `gradebox --help` must
# not pay for them (tests/cli/test_startup.py).

EXIT_OK, EXIT_NOT_ACCEPTED, EXIT_USAGE, EXIT_SERVER, EXIT_TIMEOUT = 0, 1, 2, 3, 4
DEFAULT_URL = "http://127.0.0.1:8000"

# The options every remote command shares.
UrlOpt = Annotated[str | None, typer.Option(help="server URL (env GRADEBOX_URL)")]
TokenOpt = Annotated[str | None, typer.Option(help="API token (env GRADEBOX_TOKEN)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


class CliError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message, self.code = message, code


# --- the stored login -------------------------------------------------------------------


def read_config(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {path}: {exc}", EXIT_USAGE) from None
    return data if isinstance(data, dict) else {}


def write_config(path: Path, data: dict[str, Any]) -> None:
    """Atomically, with mode 0600 from the first byte (the file holds a token)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".config-", dir=path.parent)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2)
            out.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- talking to the server --------------------------------------------------------------


def error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:300] or response.reason_phrase


def error_code(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


class Api:
    """An HTTP client for one server; `call` applies the retry policy and turns any
    failure into a `CliError` with the right exit code."""

    def __init__(
        self, url: str, token: str | None, *, retry_s: float, timeout_s: float = 90.0
    ) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = url.rstrip("/")
        self.client = httpx.Client(
            base_url=self.url, headers=headers, timeout=httpx.Timeout(timeout_s)
        )
        self.retry_s = retry_s
        # Retries are silent: a failure that survives them is the one line users see.
        logging.getLogger("backend.http_retry").addHandler(logging.NullHandler())

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def call(
        self, method: str, path: str, *, allow: tuple[int, ...] = (), **kwargs: Any
    ) -> httpx.Response:
        """The response when it is 2xx or its status is in `allow`."""
        from backend.http_retry import RetriesExhausted, request_with_retry

        try:
            response = request_with_retry(
                self.client, method, path, retry_for_s=self.retry_s, **kwargs
            )
        except RetriesExhausted as exc:
            detail = f": {error_message(exc.response)}" if exc.response is not None else ""
            raise CliError(f"{exc.problem}{detail}", EXIT_SERVER) from None
        if response.is_success or response.status_code in allow:
            return response
        raise refused(response)


def refused(response: httpx.Response) -> CliError:
    status = response.status_code
    message = error_message(response)
    if status == 401:
        return CliError(
            f"the server refused the token (401): {message}; run `gradebox login` "
            "or set GRADEBOX_TOKEN",
            EXIT_USAGE,
        )
    return CliError(f"the server refused the request ({status}): {message}", EXIT_USAGE)


def client_settings() -> ClientSettings:
    """The remote commands' settings (a bad GRADEBOX_ variable is a usage error)."""
    from backend.cli.client_settings import ClientSettings

    return load_settings(ClientSettings)


def connect(url: str | None, token: str | None, *, need_token: bool = True) -> Api:
    """An `Api` for the server named by --url, GRADEBOX_URL or the stored login, with
    the token from --token, GRADEBOX_TOKEN or the stored login (in that order)."""
    settings = client_settings()
    stored = read_config(settings.cli_config)
    base = url or settings.url or stored.get("url") or DEFAULT_URL
    secret = token or settings.token or stored.get("token")
    if need_token and not secret:
        raise CliError(
            "no API token: run `gradebox login`, pass --token or set GRADEBOX_TOKEN", EXIT_USAGE
        )
    return Api(base, secret, retry_s=settings.client_retry_s)


@contextmanager
def reporting() -> Iterator[None]:
    """Turn a `CliError` (or an unexpected network error) into its one line and exit."""
    import httpx

    try:
        yield
    except CliError as exc:
        fail(exc.message, exc.code)
    except httpx.HTTPError as exc:
        fail(f"network error: {exc}", EXIT_SERVER)


def fail(message: str, code: int) -> NoReturn:
    from rich.console import Console

    Console(stderr=True, soft_wrap=True, highlight=False).print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def read_source(path: Path) -> str:
    """A text file's contents; a missing, unreadable or binary file is a usage error."""
    if not path.is_file():
        raise CliError(f"no such file: {path}", EXIT_USAGE)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}", EXIT_USAGE) from None
    if b"\x00" in data:
        raise CliError(f"{path} is a binary file, not source code", EXIT_USAGE)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(f"{path} is not UTF-8 text (a binary file?)", EXIT_USAGE) from None
