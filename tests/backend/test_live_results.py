"""A job's live results: posted in order without holding up the grading, batched
while a post is in flight, stopped by a lost lease, never fatal."""

from __future__ import annotations

import logging
import threading

from backend.judgehost.errors import LeaseLost
from backend.judgehost.live_results import LiveResults
from graders import TestResult, Verdict


def _result(name: str) -> TestResult:
    return TestResult(name=name, group="main", verdict=Verdict.AC, time_ms=1)


def test_what_arrives_during_a_post_goes_in_the_next_one_in_order():
    first_posted, release = threading.Event(), threading.Event()
    posts: list[list[str]] = []

    def send(batch: list[TestResult]) -> None:
        posts.append([r.name for r in batch])
        if len(posts) == 1:
            first_posted.set()
            assert release.wait(10)

    live = LiveResults("results-test", send, threading.Event())
    live.put(_result("a"))
    assert first_posted.wait(10)
    for name in "bcd":
        live.put(_result(name))  # returns at once, though the server is still busy
    release.set()
    for _ in range(1000):
        if len(posts) == 2:
            break
        threading.Event().wait(0.01)
    live.close()
    assert posts == [["a"], ["b", "c", "d"]]


def test_a_post_follows_the_last_by_the_interval_and_takes_all_that_came():
    posts: list[list[str]] = []
    first = threading.Event()

    def send(batch: list[TestResult]) -> None:
        posts.append([r.name for r in batch])
        first.set()

    live = LiveResults("results-test", send, threading.Event(), interval_s=60)
    live.put(_result("a"))
    assert first.wait(10)  # the first at once
    live.put(_result("b"))
    live.put(_result("c"))
    threading.Event().wait(0.3)  # without the interval, b and c would be posted by now
    live.close()  # within the interval: `finish` stores them
    assert posts == [["a"]]
    quick: list[list[str]] = []
    live = LiveResults(
        "results-test",
        lambda b: quick.append([r.name for r in b]),
        threading.Event(),
        interval_s=0.05,
    )
    for name in "xyz":
        live.put(_result(name))
        threading.Event().wait(0.1)
    for _ in range(1000):
        if sum(len(p) for p in quick) == 3:
            break
        threading.Event().wait(0.01)
    live.close()
    assert [n for p in quick for n in p] == ["x", "y", "z"]


def test_a_lost_lease_stops_it_and_a_failed_post_does_not(caplog):
    lost = threading.Event()
    calls: list[str] = []
    failed, gone = threading.Event(), threading.Event()

    def send(batch: list[TestResult]) -> None:
        calls.extend(r.name for r in batch)
        if batch[0].name == "boom":
            failed.set()
            raise OSError("server unreachable")
        gone.set()
        raise LeaseLost("job 1: the lease is no longer held")

    live = LiveResults("results-test", send, lost)
    with caplog.at_level(logging.WARNING):
        live.put(_result("boom"))
        assert failed.wait(10)
        live.put(_result("gone"))  # posted still: one failure stops nothing
        assert gone.wait(10)
        live.put(_result("after"))
        live.close()
    assert lost.is_set()
    assert calls == ["boom", "gone"]
    assert "server unreachable" in caplog.text


def test_close_drops_what_is_queued_after_the_post_in_flight():
    in_flight, release = threading.Event(), threading.Event()
    posts: list[list[str]] = []

    def send(batch: list[TestResult]) -> None:
        in_flight.set()
        assert release.wait(10)
        posts.append([r.name for r in batch])

    live = LiveResults("results-test", send, threading.Event())
    live.put(_result("a"))
    assert in_flight.wait(10)
    live.put(_result("b"))  # queued behind the post in flight: `finish` stores it
    closing = threading.Thread(target=live.close)
    closing.start()
    closing.join(0.2)
    assert closing.is_alive()  # close waits for the post in flight
    release.set()
    closing.join(10)
    assert not closing.is_alive() and posts == [["a"]]
