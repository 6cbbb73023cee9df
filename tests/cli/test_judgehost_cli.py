"""`gradebox judgehost` takes its server and token from the options or from the
client settings (GRADEBOX_URL, GRADEBOX_TOKEN), and says what is missing. The environment path is
exercised by every live judgehost test (`tests/backend/live.py` passes the token so)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from backend.cli.main import app


@pytest.mark.parametrize(
    ("args", "env", "missing"),
    [
        ([], {}, "--url and --token"),
        (["--url", "http://127.0.0.1:9"], {}, "--token"),
        ([], {"GRADEBOX_TOKEN": "t"}, "--url"),
    ],
)
def test_missing_server_or_token_is_a_usage_error(
    args: list[str], env: dict[str, str], missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GRADEBOX_URL", "GRADEBOX_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["judgehost", *args], env=env)
    assert result.exit_code == 2, result.output
    assert f"a judgehost needs {missing}" in result.output
    assert "Traceback" not in result.output
