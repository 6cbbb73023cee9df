"""Backend halves of grading integrity: login throttling, production refusals, who sees
the static scan, closed metric labels, and an IE a submission causes deterministically
(a custom checker that crashes on it) recorded at once, without retries, and without
the checker's stderr on hidden tests."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from backend.app import create_app
from backend.auth.throttle import LoginThrottle
from backend.db.models import JudgeJob
from backend.db.session import make_engine, make_sessionmaker
from backend.metrics import Metrics
from backend.settings import Settings
from tests.backend.conftest import SECRET, TestClient, make_settings, seed, submit
from tests.backend.problems import ACCEPTED, mark_kernel, write_problem

SCAN_SOURCE = "import gc\nimport sys\na, b = map(int, input().split())\nprint(a + b)\n"


def _login(client, username, password):
    client.cookies.clear()
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_login_is_throttled_per_account_even_with_the_right_password(client, actors):
    limit = client.app.state.settings.login_max_failures_per_account
    for _ in range(limit):
        assert _login(client, "alice", "wrong").status_code == 401
    refused = _login(client, "alice", "alice-password")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
    # Another account is not locked by alice's failures.
    assert _login(client, "bob", "bob-password").status_code == 200


def test_throttle_per_address_and_window():
    now = [0.0]
    throttle = LoginThrottle(per_account=3, per_address=5, window_s=60, clock=lambda: now[0])
    for i in range(5):  # five accounts sprayed from one address
        throttle.failed(f"user{i}", "1.2.3.4")
    assert throttle.retry_after("fresh", "1.2.3.4") == 60
    assert throttle.retry_after("fresh", "5.6.7.8") is None
    now[0] = 59.5
    assert throttle.retry_after("fresh", "1.2.3.4") == 1
    now[0] = 60.0
    assert throttle.retry_after("fresh", "1.2.3.4") is None  # the window has passed
    for _ in range(3):
        throttle.failed("Alice", "9.9.9.9")
    assert throttle.retry_after("alice", "8.8.8.8") is not None  # per account, any case
    throttle.succeeded("alice")
    assert throttle.retry_after("alice", "8.8.8.8") is None


def test_production_refuses_insecure_cookies():
    with pytest.raises(ValidationError, match="COOKIE_SECURE"):
        Settings(environment="production", secret_key=SECRET, cookie_secure=False)
    assert Settings(environment="production", secret_key=SECRET, cookie_secure=True)


@pytest.mark.parametrize("public", [False, True])
def test_production_metrics_need_an_admin_unless_public(tmp_path, public):
    settings = make_settings(
        tmp_path, environment="production", cookie_secure=True, metrics_public=public
    )
    actors = seed(settings, problems=False)
    with TestClient(create_app(settings)) as client:
        anonymous = client.get("/metrics")
        learner = client.get("/metrics", headers=actors.learner.headers)
        admin = client.get("/metrics", headers=actors.admin.headers)
        judge = client.get("/metrics", headers=actors.judge.headers)
    if public:
        assert [r.status_code for r in (anonymous, learner, admin, judge)] == [200] * 4
    else:
        assert [r.status_code for r in (anonymous, learner, admin, judge)] == [401, 403, 200, 403]
        assert "gradebox_up" in admin.text and "gradebox" not in anonymous.text


def test_metric_labels_come_from_a_closed_set():
    metrics = Metrics()
    metrics.http_requests.inc(method="BREW", status="418")
    metrics.http_requests.inc(method="GET", status="999")
    metrics.submissions_judged.inc(verdict="pwned\nfake_metric 1")
    text = metrics.render({})
    assert 'method="other",status="418"' in text
    assert 'method="GET",status="other"' in text
    assert 'verdict="other"' in text and "pwned" not in text and "BREW" not in text
    with pytest.raises(ValueError, match="undeclared"):
        metrics.judge_failures.inc(host="x")


def test_static_scan_is_shown_to_problem_managers_only(client, actors):
    sub = submit(client, actors.learner, SCAN_SOURCE).json()
    path = f"/api/v1/submissions/{sub['id']}"
    assert sub["integrity_scan"] is None  # the learner's own answer to the POST
    assert client.get(path, headers=actors.learner.headers).json()["integrity_scan"] is None
    for who in (actors.instructor, actors.admin):  # ines maintains add-two (a grant)
        findings = client.get(path, headers=who.headers).json()["integrity_scan"]
        assert {(f["line"], f["rule"], f["name"]) for f in findings} == {(1, "import", "gc")}


KERNEL_SCAN_SOURCE = "import torch\ns = torch.cuda.Stream()\n"


def test_kernel_scan_findings_are_shown_to_problem_managers_only(client, actors, settings):
    mark_kernel(settings)
    sub = submit(client, actors.learner, KERNEL_SCAN_SOURCE).json()
    path = f"/api/v1/submissions/{sub['id']}"
    assert client.get(path, headers=actors.learner.headers).json()["integrity_scan"] is None
    findings = client.get(path, headers=actors.instructor.headers).json()["integrity_scan"]
    assert ("kernel:streams", "torch.cuda.Stream") in {(f["rule"], f["name"]) for f in findings}
    assert all(f["why"] for f in findings)


CRASHING_CHECKER = """\
import sys
answer = open(sys.argv[2]).read().strip()
sys.stderr.write("the expected answer is " + answer + "\\n")
sys.exit(1)
"""


def test_checker_crash_is_an_ie_recorded_once_without_its_stderr_on_hidden_tests(tmp_path):
    settings = make_settings(tmp_path)
    root = write_problem(settings.problems_dir, "crashy")
    yaml = root / "problem.yaml"
    yaml.write_text(yaml.read_text().replace("checker: {name: tokens}", "checker: {name: custom}"))
    (root / "checker.py").write_text(CRASHING_CHECKER)
    actors = seed(settings)
    with TestClient(create_app(settings.model_copy(update={"embedded_judgehost": True}))) as c:
        done = submit(c, actors.learner, ACCEPTED, problem="crashy", wait=60).json()
        metrics_text = c.get("/metrics").text
    assert done["verdict"] == "IE", done
    hidden = [t for t in done["tests"] if not t["visible"]]
    visible = [t for t in done["tests"] if t["visible"]]
    assert hidden and visible
    assert all(t["verdict"] == "IE" for t in done["tests"])
    assert all("expected answer" not in t["message"] for t in hidden)
    assert all(t["feedback"]["internal_error"] == "deterministic" for t in done["tests"])
    assert "expected answer" in visible[0]["message"]  # samples may show it
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        job = session.query(JudgeJob).filter_by(submission_id=done["id"]).one()
        assert job.attempts == 1  # not retried
    engine.dispose()
    assert 'gradebox_judge_failures_total{reason="deterministic"} 1' in metrics_text
