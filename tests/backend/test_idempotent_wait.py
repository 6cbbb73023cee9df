"""A retried submit (same Idempotency-Key) with `?wait=` answers with the first
submission: the lookup of the key must not hold SQLite's write lock while the route
waits, or the wait itself (and the judge) block on it until the busy timeout (500)."""

from __future__ import annotations

import pytest

from tests.backend.conftest import submit
from tests.backend.problems import ACCEPTED

pytestmark = pytest.mark.slow


def test_replayed_key_with_wait_returns_the_same_submission(judged_client, actors) -> None:
    first = submit(judged_client, actors.learner, ACCEPTED, key="ci-run-7", wait=60)
    assert first.status_code == 201, first.text
    again = submit(judged_client, actors.learner, ACCEPTED, key="ci-run-7", wait=60)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["status"] == "judged"
