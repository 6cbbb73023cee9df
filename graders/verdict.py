"""The closed set of verdicts and how per-test verdicts combine into one.

Priority (worst first) decides the final verdict of a submission when tests
disagree: an internal error trumps everything, since the result can't be trusted;
a compile error means nothing ran; then the learner-facing failures in the order a
reader would fix them (crash, limits, wrong answer).

    IE > CE > RE > MLE > TLE > OLE > WA > AC
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Verdict(StrEnum):
    AC = "AC"  # accepted
    WA = "WA"  # wrong answer
    TLE = "TLE"  # time limit exceeded
    MLE = "MLE"  # memory limit exceeded
    OLE = "OLE"  # output limit exceeded
    RE = "RE"  # run-time error
    CE = "CE"  # compile error
    IE = "IE"  # internal error (the judge failed, not the learner)

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Verdict.AC: "Accepted",
    Verdict.WA: "Wrong answer",
    Verdict.TLE: "Time limit exceeded",
    Verdict.MLE: "Memory limit exceeded",
    Verdict.OLE: "Output limit exceeded",
    Verdict.RE: "Run-time error",
    Verdict.CE: "Compile error",
    Verdict.IE: "Internal error",
}

PRIORITY: tuple[Verdict, ...] = (
    Verdict.IE,
    Verdict.CE,
    Verdict.RE,
    Verdict.MLE,
    Verdict.TLE,
    Verdict.OLE,
    Verdict.WA,
    Verdict.AC,
)
_RANK = {verdict: rank for rank, verdict in enumerate(PRIORITY)}


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict of highest priority; AC for an empty set."""
    return min(verdicts, key=_RANK.__getitem__, default=Verdict.AC)
