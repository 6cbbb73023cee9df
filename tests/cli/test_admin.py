"""`gradebox admin`: accounts and tokens from the shell, with usage errors as exit 2
and refused operations as exit 1, each with a one-line message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GRADEBOX = Path(sys.executable).parent / "gradebox"


@pytest.fixture
def admin(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADEBOX_")}
    env["GRADEBOX_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(GRADEBOX), "admin", *args], env=env, capture_output=True, text=True, timeout=120
        )

    return run


def test_accounts_roles_and_tokens(admin) -> None:  # type: ignore[no-untyped-def]
    made = admin("create-user", "ada", "--role", "instructor", "--password", "ada-password-1")
    assert made.returncode == 0 and "created instructor ada" in made.stdout
    listed = admin("list-users")
    assert "ada" in listed.stdout and "instructor" in listed.stdout
    assert admin("set-role", "ada", "admin").returncode == 0
    token = admin("create-token", "ada", "-s", "judge")
    assert token.returncode == 0 and token.stdout.strip().startswith("gbx_")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("create-user", "bob", "--role", "wizard", "--password", "x"), 2, "unknown role 'wizard'"),
        (("set-role", "bob", "wizard"), 2, "unknown role 'wizard'"),
        (("create-token", "nobody"), 1, "no user 'nobody'"),
        (("set-role", "nobody", "admin"), 1, "nobody"),
    ],
)
def test_bad_requests_exit_with_a_message(admin, args, code, message) -> None:  # type: ignore[no-untyped-def]
    done = admin(*args)
    assert done.returncode == code, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_duplicate_user_and_bad_scope(admin) -> None:  # type: ignore[no-untyped-def]
    assert admin("create-user", "cy", "--password", "cy-password-12").returncode == 0
    again = admin("create-user", "cy", "--password", "cy-password-12")
    assert again.returncode == 1 and "taken" in again.stderr
    scope = admin("create-token", "cy", "-s", "bogus")
    assert scope.returncode == 2 and "bogus" in scope.stderr
