"""`testdata.yaml` (Kattis grading settings) mapped onto Gradebox groups.

Each folder of `data/` may hold a `testdata.yaml`; a folder inherits its parent's
settings. What maps over, per group (`data/sample`, `data/secret/<group>/`, or
`data/secret` for ungrouped tests):

    accept_score S       points of an accepted test (default 1)
    grader_flags min     the group scores the minimum over its tests: all or nothing,
                         `points: S`, `mode: min` (stops at the first failure)
    grader_flags (sum)   the default: `points: S x tests`, `mode: sum`
    on_reject break      stop at the first rejected test (`mode: min`)
    input_validator_flags  passed to input validators for the group's tests
    range, ignore_sample, first_error, accept_if_any_accepted: implied by the above
                         (samples score 0; the verdict is the first failure's)

For pass-fail problems the points are split evenly over the secret groups.
"""

from __future__ import annotations

from typing import Any

import yaml

from graders.errors import ProblemFormatError
from graders.kattis.tree import KattisTree

FILE = "testdata.yaml"


def settings(tree: KattisTree, folder: str) -> dict[str, Any]:
    """The merged settings of `folder` (e.g. "data/secret/subtask1"), parents first."""
    merged: dict[str, Any] = {}
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        rel = "/".join(parts[:depth]) + "/" + FILE
        if rel not in tree:
            continue
        try:
            raw = yaml.safe_load(tree.text(rel)) or {}
        except yaml.YAMLError as exc:
            raise ProblemFormatError(f"YAML syntax error: {exc}", file=rel) from None
        if not isinstance(raw, dict):
            raise ProblemFormatError("must be a mapping", file=rel)
        own_flags = "grader_flags" in raw
        merged.update(raw)
        if not own_flags and depth == len(parts):
            merged.setdefault("grader_flags", "")
    return merged


def group_spec(
    name: str, tests: int, conf: dict[str, Any], *, scoring: bool, share: float
) -> dict[str, Any]:
    """One `problem.yaml` group from its merged testdata settings."""
    flags = str(conf.get("grader_flags", "")).split()
    spec: dict[str, Any] = {"name": name}
    if name == "sample":
        spec["points"] = 0
    elif scoring:
        accept = float(conf.get("accept_score", 1))
        if "min" in flags:
            spec["points"], spec["mode"] = accept, "min"
        else:
            spec["points"] = accept * tests
            spec["mode"] = "min" if conf.get("on_reject") == "break" else "sum"
    else:
        spec["points"], spec["mode"] = share, "min"
    validator_flags = str(conf.get("input_validator_flags", "")).split()
    if validator_flags:
        spec["input_validator_flags"] = validator_flags
    return spec
