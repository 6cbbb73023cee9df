"""Submitting through the API and judging in the real bwrap sandbox (embedded judge)."""

from __future__ import annotations

import json
import time

import pytest
from pydantic import BaseModel

from backend.schemas.submissions import SubmissionEvents
from tests.backend.conftest import submit
from tests.backend.problems import ACCEPTED, LOOP, WRONG

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize(
    ("source", "verdict", "score"),
    [(ACCEPTED, "AC", 100.0), (WRONG, "WA", 0.0), (LOOP, "TLE", 0.0)],
)
def test_verdicts_with_per_test_results(judged_client, actors, source, verdict, score):
    created = submit(judged_client, actors.learner, source, wait=30)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "judged"
    assert body["verdict"] == verdict
    assert body["score"] == score and body["max_score"] == 100.0
    fetched = judged_client.get(f"/api/v1/submissions/{body['id']}", headers=actors.learner.headers)
    assert fetched.status_code == 200
    tests = fetched.json()["tests"]
    assert tests, "per-test results are stored"
    assert tests[0]["name"] == "sample/01"
    assert {t["verdict"] for t in tests} <= {"AC", verdict}
    assert any(t["verdict"] == verdict for t in tests)
    samples = [t for t in tests if t["visible"]]
    hidden = [t for t in tests if not t["visible"]]
    assert samples[0]["input"] == "1 2\n"
    if verdict != "TLE":
        assert hidden, "hidden tests were judged"
    for test in hidden:
        assert test["input"] is None and test["expected"] is None and test["actual"] is None


def test_events_stream_each_test_as_it_lands(judged_client, actors):
    # Slow only on the last hidden test, so the earlier results must arrive well before
    # the end if they are streamed rather than sent at the end.
    source = (
        "import time\na, b = map(int, input().split())\n"
        "if a == -5:\n    time.sleep(1.5)\nprint(a + b)\n"
    )
    created = submit(judged_client, actors.learner, source).json()
    events = []
    with judged_client.stream(
        "GET", f"/api/v1/submissions/{created['id']}/events", headers=actors.learner.headers
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((event, json.loads(line.removeprefix("data: ")), time.monotonic()))
    kinds = [kind for kind, _, _ in events]
    assert kinds[0] == "status" and kinds[-1] == "done"
    assert {"status": "running"} in [data for kind, data, _ in events if kind == "status"]
    tests = [(data, at) for kind, data, at in events if kind == "test"]
    assert [t["name"] for t, _ in tests] == ["sample/01", "sample/02", "main/01", "main/02"]
    done_at = events[-1][2]
    assert done_at - tests[0][1] > 1.0, "the first result came only at the end"
    done = events[-1][1]
    assert done["verdict"] == "AC" and len(done["tests"]) == 4
    for kind, data, _ in events:  # each payload is what the documented contract says
        payload = SubmissionEvents.model_fields[kind].annotation
        assert isinstance(payload, type) and issubclass(payload, BaseModel)
        assert payload.model_validate(data).model_dump(mode="json") == data


def test_event_stream_contract_is_in_the_openapi_schema(client):
    spec = client.get("/openapi.json").json()
    route = spec["paths"]["/api/v1/submissions/{submission_id}/events"]["get"]
    stream = route["responses"]["200"]["content"]["text/event-stream"]
    assert stream["schema"] == {"$ref": "#/components/schemas/SubmissionEvents"}
    events = spec["components"]["schemas"]["SubmissionEvents"]["properties"]
    assert {name: body["$ref"].rsplit("/", 1)[1] for name, body in events.items()} == {
        "status": "StatusEvent",
        "test": "TestResult",
        "done": "SubmissionPublic",
    }


def test_junit_report(judged_client, actors):
    created = submit(judged_client, actors.learner, WRONG, wait=30).json()
    response = judged_client.get(
        f"/api/v1/submissions/{created['id']}/junit", headers=actors.learner.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    import xml.etree.ElementTree as ET

    suite = ET.fromstring(response.text)
    assert suite.tag == "testsuite"
    assert int(suite.get("tests")) == len(created["tests"])
    assert int(suite.get("failures")) == sum(t["verdict"] == "WA" for t in created["tests"])
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "WA"


def test_editorial_once_solved(judged_client, actors):
    def editorial(actor):
        return judged_client.get("/api/v1/problems/add-two", headers=actor.headers).json()[
            "editorial_md"
        ]

    assert editorial(actors.learner) is None
    assert "42" in editorial(actors.instructor)  # its instructors always see it
    assert submit(judged_client, actors.learner, WRONG, wait=30).json()["verdict"] == "WA"
    assert editorial(actors.learner) is None
    assert submit(judged_client, actors.learner, ACCEPTED, wait=30).json()["verdict"] == "AC"
    assert "42" in editorial(actors.learner)
    assert editorial(actors.other) is None
    summary = judged_client.get("/api/v1/problems", headers=actors.learner.headers).json()["data"][
        0
    ]
    assert summary["solved"] is True and summary["attempted"] is True
