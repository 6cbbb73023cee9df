"""Runs: the code on the samples and custom input in the real sandbox, never stored."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.backend.conftest import make_settings, seed
from tests.backend.problems import ACCEPTED, WRONG, write_problem

pytestmark = pytest.mark.timeout(180)

REPO = Path(__file__).resolve().parents[2]
LAYERNORM = "layernorm-forward"
REGION = "largest-connected-region-fn"


@pytest.fixture
def app_client(tmp_path):
    """SQLite, no judgehost (runs need none), add-two plus two bundled packages."""
    settings = make_settings(tmp_path, rate_limit_runs=4)
    write_problem(settings.problems_dir)
    for slug in (LAYERNORM, REGION):
        shutil.copytree(REPO / "problems" / slug, settings.problems_dir / slug)
    actors = seed(settings)
    with TestClient(create_app(settings)) as client:
        yield client, actors


def run(client, actor, source, problem="add-two", **extra):
    body = {"problem": problem, "language": "python", "source": source, **extra}
    return client.post("/api/v1/runs", headers=actor.headers, json=body)


def test_stdio_run_on_samples_and_custom_input_is_not_a_submission(app_client):
    client, actors = app_client
    ok = run(client, actors.learner, ACCEPTED, custom_input="7 8\n")
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["verdict"] == "AC"
    names = [t["name"] for t in body["tests"]]
    assert names == ["sample/01", "sample/02", "custom/input"]
    custom = body["tests"][-1]
    assert custom["expected"] == "15\n" and custom["actual"] == "15\n"
    assert custom["expected_from"] == "reference"
    assert body["tests"][0]["expected_from"] == "sample"
    assert all(t["visible"] for t in body["tests"]), "a run shows only visible tests"

    wrong = run(client, actors.learner, WRONG, custom_input="7 8\n", samples=False).json()
    assert wrong["verdict"] == "WA"
    assert [t["name"] for t in wrong["tests"]] == ["custom/input"]
    assert wrong["tests"][0]["expected"] == "15\n" and wrong["tests"][0]["actual"] == "-1\n"

    # Not history, not solved, no queue.
    listed = client.get("/api/v1/submissions", headers=actors.learner.headers).json()
    assert listed["count"] == 0
    problem = client.get("/api/v1/problems/add-two", headers=actors.learner.headers).json()
    assert problem["solved"] is False and problem["attempted"] is False


def test_runs_have_their_own_rate_limit(app_client):
    client, actors = app_client
    for _ in range(4):
        assert run(client, actors.other, "print(0)\n").status_code == 200
    refused = run(client, actors.other, "print(0)\n")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    # Another user, and submissions, are unaffected.
    assert run(client, actors.learner, "print(0)\n").status_code == 200
    created = client.post(
        "/api/v1/submissions",
        headers=actors.other.headers,
        json={"problem": "add-two", "language": "python", "source": ACCEPTED},
    )
    assert created.status_code == 201


def test_bad_requests_are_clear_4xx(app_client):
    client, actors = app_client
    anonymous = client.post(
        "/api/v1/runs", json={"problem": "add-two", "language": "python", "source": "x"}
    )
    assert anonymous.status_code == 401
    nothing = run(client, actors.learner, ACCEPTED, samples=False)
    assert nothing.status_code == 422 and nothing.json()["error"]["code"] == "nothing_to_run"
    missing = run(client, actors.learner, ACCEPTED, problem="no-such")
    assert missing.status_code == 404
    language = run(client, actors.learner, ACCEPTED, language="cobol")
    assert language.status_code == 422
    # The reference itself cannot read this input: the learner is told, not given an IE.
    invalid = run(client, actors.learner, ACCEPTED, custom_input="not numbers\n")
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "bad_custom_input"
    broken = run(client, actors.learner, "print(1 +\n")
    assert broken.status_code == 200 and broken.json()["verdict"] == "CE"


def test_tensor_samples_are_readable_and_downloadable(app_client):
    client, actors = app_client
    detail = client.get(f"/api/v1/problems/{LAYERNORM}").json()
    sample = detail["samples"][0]
    view = sample["input_view"]
    assert view["format"] == "npz"
    arrays = {a["name"]: a for a in view["arrays"]}
    assert list(arrays) == ["x", "gamma", "beta", "eps"]
    raw = (REPO / "problems" / LAYERNORM / "data" / "sample" / "01.in").read_bytes()
    x = np.load(io.BytesIO(raw))["x"]
    assert arrays["x"]["shape"] == list(x.shape) and arrays["x"]["dtype"] == str(x.dtype)
    assert arrays["eps"]["shape"] == []
    assert sample["output_view"]["arrays"][0]["name"] == "y"
    assert view["size"] == len(raw)
    # The snippet builds the same arrays (run here, outside any sandbox: it is ours).
    namespace: dict[str, object] = {}
    exec(sample["python"].split("\n\n")[0] + "\n" + sample["python"].split("\n\n")[1], namespace)
    assert np.array_equal(namespace["x"], x) and namespace["x"].dtype == x.dtype

    stem = sample["name"].rsplit("/", 1)[-1]
    npz = client.get(f"/api/v1/problems/{LAYERNORM}/samples/{stem}/input")
    assert npz.status_code == 200 and npz.content == raw
    assert npz.headers["content-disposition"].endswith('.npz"')
    npy = client.get(f"/api/v1/problems/{LAYERNORM}/samples/{stem}/input", params={"array": "x"})
    assert np.array_equal(np.load(io.BytesIO(npy.content)), x)
    absent = client.get(f"/api/v1/problems/{LAYERNORM}/samples/{stem}/input?array=nope")
    assert absent.status_code == 404
    assert client.get(f"/api/v1/problems/{LAYERNORM}/samples/99/input").status_code == 404


def test_large_arrays_are_elided_like_numpy():
    from backend.services.samples import preview

    text = preview(np.arange(10_000, dtype=np.float32).reshape(100, 100))
    assert "..." in text and "9.999e+03" in text and len(text) < 2000


def test_tensor_run_on_custom_literal_input(app_client):
    client, actors = app_client
    root = REPO / "problems" / LAYERNORM
    reference = (root / "submissions" / "accepted" / "reference.py").read_text()
    wrong = (root / "submissions" / "wrong_answer" / "unbiased_variance.py").read_text()
    custom = "{'x': [[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]], 'gamma': [1.0, 1.0, 2.0], " + (
        "'beta': [0.0, 0.5, 0.0], 'eps': 1e-5}"
    )
    good = run(client, actors.learner, reference, problem=LAYERNORM, custom_input=custom)
    assert good.status_code == 200, good.text
    assert good.json()["verdict"] == "AC"
    bad = run(client, actors.learner, wrong, problem=LAYERNORM, custom_input=custom).json()
    assert bad["verdict"] == "WA"
    failed = [t for t in bad["tests"] if t["name"] == "custom/input"][0]
    assert failed["verdict"] == "WA" and failed["expected_from"] == "reference"
    assert "max_abs_err" in json.dumps(failed["feedback"])
    # The known mistake is recognised on the samples (the judge's hint matching); a
    # custom input, new each time, gets none.
    samples = [t for t in bad["tests"] if t["group"] == "sample" and t["verdict"] == "WA"]
    assert samples and all("biased variance" in (t["hint"] or "") for t in samples)
    assert failed["hint"] is None
    # The sample's custom_input is what the Run panel starts from, and it runs as is.
    start = client.get(f"/api/v1/problems/{LAYERNORM}").json()["samples"][0]["custom_input"]
    again = run(client, actors.learner, reference, problem=LAYERNORM, custom_input=start)
    assert again.json()["verdict"] == "AC"


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch /tmp/pwned')",
        "{'x': [[1, 2], [3]]}",
        "{'nope': [1.0]}",
        "[" * 100 + "]" * 100,
        "{'x': ['a', 'b']}",
    ],
)
def test_custom_input_is_parsed_never_evaluated(app_client, text):
    client, actors = app_client
    refused = run(client, actors.learner, "x = 1\n", problem=LAYERNORM, custom_input=text)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "bad_custom_input"


def test_function_run_with_argument_list_and_generator(app_client):
    client, actors = app_client
    root = REPO / "problems" / REGION
    reference = (root / "submissions" / "accepted" / "bfs.py").read_text()
    body = run(
        client, actors.learner, reference, problem=REGION, custom_input="[[[1, 1], [0, 1]]]"
    ).json()
    custom = body["tests"][-1]
    assert custom["verdict"] == "AC" and custom["expected"] == "3"
    detail = client.get(f"/api/v1/problems/{REGION}").json()
    assert detail["generators"][0].startswith("gen.py small")
    hidden_seed = run(
        client, actors.learner, reference, problem=REGION, generator={"index": 0, "seed": 11}
    )
    assert hidden_seed.status_code == 422
    generated = run(
        client,
        actors.learner,
        reference,
        problem=REGION,
        samples=False,
        generator={"index": 0, "seed": 4242},
    )
    assert generated.status_code == 200, generated.text
    assert generated.json()["tests"][0]["verdict"] == "AC"
