"""The CI examples of docs/ci.md, run against a live server: the GitHub Actions
workflow's `run:` steps and the GitLab job's `script:` as scripts, and the shell
example word for word. The install steps are the only lines not run (the CLI under
test is this environment's); `uses:` steps are the CI runner's own actions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.backend.problems import ACCEPTED, WRONG
from tests.cli.conftest import Minted
from tests.junit_schema import check_junit
from tests.live_server import ROOT, LiveServer

pytestmark = pytest.mark.slow

DOC = ROOT / "docs" / "ci.md"
_EXAMPLE = re.compile(r"<!-- ci-example: (\w+) -->\n```\w+\n(.*?)```", re.DOTALL)


def example(name: str) -> str:
    found = dict(_EXAMPLE.findall(DOC.read_text(encoding="utf-8")))
    assert name in found, f"docs/ci.md has no ci-example {name}"
    return found[name]


def _env(server: LiveServer, token: str, **extra: str) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)  # `gradebox` and `python3` of this venv
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADEBOX_")}
    env.update(
        PATH=f"{bin_dir}:{env.get('PATH', '/usr/bin:/bin')}",
        GRADEBOX_URL=server.url,
        GRADEBOX_TOKEN=token,
        GRADEBOX_CLI_CONFIG=str(server.home / "docs-cli-config.json"),
        GRADEBOX_CLIENT_RETRY_S="5",
    )
    env.update(extra)
    return env


def _workspace(tmp: Path, source: str) -> Path:
    (tmp / "solutions").mkdir(parents=True)
    (tmp / "solutions" / "add_two.py").write_text(source)
    return tmp


def _run_script(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _github_steps() -> list[str]:
    workflow: dict[str, Any] = yaml.safe_load(example("github"))
    (job,) = workflow["jobs"].values()
    assert set(job["env"]) == {"GRADEBOX_URL", "GRADEBOX_TOKEN"}
    steps = [s for s in job["steps"] if "run" in s]
    assert [s["name"] for s in steps][0].startswith("Install")
    return [s["run"] for s in steps[1:]]


@pytest.mark.parametrize(("source", "code"), [(ACCEPTED, 0), (WRONG, 1)], ids=["AC", "WA"])
def test_github_actions_workflow(
    ci_server: LiveServer,
    learner: Minted,
    add_two: Path,
    tmp_path: Path,
    source: str,
    code: int,
) -> None:
    work = _workspace(tmp_path, source)
    env = _env(ci_server, learner.token, GITHUB_SHA=f"{code}{'0' * 39}")
    for step in _github_steps():
        done = _run_script(step, work, env)
        assert done.returncode == code, done.stdout + done.stderr
    root = check_junit((work / "gradebox-junit.xml").read_text())
    assert bool(root.findall("testcase/failure")) == (code == 1)


def test_gitlab_ci_job(
    ci_server: LiveServer, learner: Minted, add_two: Path, tmp_path: Path
) -> None:
    jobs: dict[str, Any] = yaml.safe_load(example("gitlab"))
    job = jobs["gradebox"]
    assert job["artifacts"]["reports"]["junit"] == "gradebox-junit.xml"
    work = _workspace(tmp_path, ACCEPTED + "# gitlab\n")
    env = _env(ci_server, learner.token, CI_COMMIT_SHA="c" * 40)  # the runner's URL wins
    done = _run_script("\n".join(job["script"]), work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    check_junit((work / job["artifacts"]["reports"]["junit"]).read_text())


def test_plain_shell_example_verbatim(
    ci_server: LiveServer, learner: Minted, add_two: Path, tmp_path: Path
) -> None:
    script = tmp_path / "grade.sh"
    script.write_text(example("shell"))
    work = _workspace(tmp_path / "work", ACCEPTED + "# shell\n")
    env = _env(ci_server, learner.token, PROBLEM="add-two", SOLUTION="solutions/add_two.py")
    runs = [
        subprocess.run(
            ["sh", str(script)], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )
        for _ in range(2)
    ]
    for done in runs:
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("AC: score 100"), done.stdout
    # Run twice, judged once: the same Idempotency-Key returns the same submission.
    assert runs[0].stdout == runs[1].stdout
    check_junit((work / "gradebox-junit.xml").read_text())

    (work / "solutions" / "add_two.py").write_text(WRONG)
    done = subprocess.run(
        ["sh", str(script)], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1 and done.stdout.startswith("WA"), done.stdout + done.stderr
