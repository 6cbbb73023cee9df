"""Health, readiness, metrics, request ids, error shapes, OpenAPI, the SPA."""

from __future__ import annotations

import json
import logging

from backend.app import create_app
from tests.backend.conftest import TestClient, submit
from tests.backend.problems import ACCEPTED


def test_health_and_readiness(client, actors):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready == {
        "status": "degraded",
        "database": True,
        "queue_depth": 0,
        "running": 0,
        "judgehosts": 0,
    }
    submit(client, actors.learner, ACCEPTED)
    submit(client, actors.other, ACCEPTED)
    client.post("/api/v1/judge/claim", json={"judgehost": "j1"}, headers=actors.judge.headers)
    ready = client.get("/readyz").json()
    assert ready["queue_depth"] == 1 and ready["running"] == 1 and ready["judgehosts"] == 1
    assert ready["status"] == "ok"


def test_readiness_fails_without_a_database(settings, actors, tmp_path):
    broken = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    app = create_app(broken)
    app.state.engine.dispose()
    (tmp_path / "missing" / "dir").rmdir()
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["database"] is False


def test_metrics_exposition(client, actors):
    submit(client, actors.learner, ACCEPTED)
    job = client.post(
        "/api/v1/judge/claim", json={"judgehost": "j1"}, headers=actors.judge.headers
    ).json()
    client.post(
        f"/api/v1/judge/{job['job_id']}/finish",
        json={
            "lease_id": job["lease_id"],
            "result": {"verdict": "WA", "score": 0, "max_score": 100, "tests": []},
        },
        headers=actors.judge.headers,
    )
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    assert 'gradebox_submissions_judged_total{verdict="WA"} 1' in text
    assert "gradebox_submissions_created_total 1" in text
    assert "gradebox_queue_depth 0" in text
    assert "# TYPE gradebox_judge_seconds histogram" in text
    assert 'gradebox_queue_wait_seconds_bucket{le="+Inf"} 1' in text
    assert "gradebox_judge_seconds_count 1" in text
    assert 'gradebox_http_requests_total{method="POST",status="201"}' in text


def test_request_ids_and_structured_logs(client, caplog):
    caplog.set_level(logging.INFO, logger="gradebox.http")
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    record = [r for r in caplog.records if r.name == "gradebox.http"][0]
    from backend.logs import JsonFormatter, _RequestIdFilter

    _RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"].startswith("GET /healthz 200")
    assert line["status"] == 200 and "duration_ms" in line and "request_id" in line


def test_errors_have_one_shape(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert set(missing.json()["error"]) == {"code", "message", "details"}
    wrong_method = client.put("/api/v1/problems")
    assert (
        wrong_method.status_code == 405
        and wrong_method.json()["error"]["code"] == "method_not_allowed"
    )
    bad_json = client.post(
        "/api/v1/auth/login", content=b"{", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 422 and bad_json.json()["error"]["code"] == "validation_error"


def test_openapi_documents_every_route(client):
    spec = client.get("/openapi.json").json()
    assert "ErrorResponse" in spec["components"]["schemas"]
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            codes = set(op["responses"])
            ok = {c for c in codes if c.startswith("2")}
            assert ok, f"{method} {path} documents no success response"
            if path.startswith("/api/v1"):
                errors = codes - ok
                assert errors, f"{method} {path} documents no error responses"
                for code in errors:
                    content = op["responses"][code].get("content", {})
                    if code != "422" or "ErrorResponse" in json.dumps(content):
                        ref = json.dumps(content)
                        assert "ErrorResponse" in ref, f"{method} {path} {code}"
            for code in ok:
                content = op["responses"][code].get("content")
                if code != "204" and content and "application/json" in content:
                    assert content["application/json"]["schema"], f"{method} {path} {code}"


def test_spa_is_served_with_fallback(settings, actors, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    (dist / "favicon.svg").write_text("<svg/>")
    with TestClient(create_app(settings.model_copy(update={"frontend_dist": dist}))) as client:
        assert "id=root" in client.get("/").text
        assert "id=root" in client.get("/problems/add-two").text  # a client-side route
        assert client.get("/assets/app.js").text == "console.log(1)"
        assert client.get("/favicon.svg").text == "<svg/>"
        assert client.get("/api/v1/nope").status_code == 404
        assert client.get("/api/v1/nope").json()["error"]["code"] == "not_found"
        assert client.get("/api/v1/problems").status_code == 200
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/../../etc/passwd").status_code in (200, 404)
        assert "root:" not in client.get("/..%2f..%2fetc/passwd").text


def test_default_secret_refused_outside_development():
    import pytest
    from pydantic import ValidationError

    from backend.settings import Settings

    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production")
    assert Settings(environment="development").secret_key
