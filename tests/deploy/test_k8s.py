"""The Kubernetes manifests in deploy/k8s pass the API schemas (kubernetes-validate
carries them) in strict mode, and say what docs/deploy.md promises they say."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
MANIFESTS = sorted(K8S.glob("*.yaml"))


def _docs():
    for path in MANIFESTS:
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield path, doc


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_passes_the_schema(path):
    for doc in yaml.safe_load_all(path.read_text()):
        if doc:
            kubernetes_validate.validate(doc, "1.30.0", strict=True)


def test_a_broken_manifest_is_caught():
    """The check can fail: an unknown field and a wrong type are both errors."""
    _, deployment = next((p, d) for p, d in _docs() if d["kind"] == "Deployment")
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, "1.30.0", strict=True)
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, "1.30.0", strict=True)


def test_the_pieces_docs_promise_are_there():
    kinds = {(doc["kind"], doc["metadata"]["name"]) for _, doc in _docs()}
    assert ("Deployment", "gradebox-api") in kinds
    assert ("Service", "gradebox-api") in kinds
    assert ("Deployment", "gradebox-judge") in kinds
    hpa = next(d for _, d in _docs() if d["kind"] == "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "gradebox-judge"
    assert hpa["spec"]["metrics"][0]["external"]["metric"]["name"] == "gradebox_queue_depth"
    # PostgreSQL is external: the API reads its URL from the Secret
    secret = next(d for _, d in _docs() if d["kind"] == "Secret")
    assert secret["stringData"]["database-url"].startswith("postgresql+psycopg://")


def test_judge_pods_hold_no_privilege():
    judge = next(d for _, d in _docs() if d["metadata"]["name"] == "gradebox-judge")
    pod = judge["spec"]["template"]["spec"]
    for container in pod["containers"]:
        ctx = container["securityContext"]
        assert ctx["allowPrivilegeEscalation"] is False
        assert ctx["capabilities"]["drop"] == ["ALL"]
        assert not ctx.get("privileged")
    judgehost = next(c for c in pod["containers"] if c["name"] == "judge")
    assert not judgehost.get("volumeMounts") or all(
        m["name"] != "docker-sock" for m in judgehost["volumeMounts"]
    )
