"""The built-in checkers, outside any sandbox."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.checkers import CheckContext, checker_names, get_checker
from graders.errors import UnknownChecker
from graders.verdict import Verdict


def check(name: str, output: bytes, answer: bytes, visible: bool = True, **options: Any):
    ctx = CheckContext(input=b"", answer=answer, output=output, visible=visible, options=options)
    return get_checker(name).check(ctx)


def test_registry_knows_the_builtin_checkers() -> None:
    assert {"exact", "tokens", "float", "json", "custom"} <= set(checker_names())
    with pytest.raises(UnknownChecker, match="unknown checker 'nope'"):
        get_checker("nope")


@pytest.mark.parametrize(
    ("output", "answer", "verdict"),
    [
        (b"1 2\n3\n", b"1 2\n3\n", Verdict.AC),
        (b"1 2\r\n3", b"1 2\n3\n", Verdict.AC),  # CRLF and missing final newline
        (b"1 2   \n3\n\n", b"1 2\n3\n", Verdict.AC),  # trailing spaces and blank lines
        (b"1  2\n3\n", b"1 2\n3\n", Verdict.WA),  # inner spacing matters
        (b"1 2\n", b"1 2\n3\n", Verdict.WA),
        (b"", b"", Verdict.AC),
    ],
)
def test_exact(output: bytes, answer: bytes, verdict: Verdict) -> None:
    assert check("exact", output, answer).verdict is verdict


def test_exact_quotes_values_only_for_visible_tests() -> None:
    visible = check("exact", b"41\n", b"42\n", visible=True)
    hidden = check("exact", b"41\n", b"42\n", visible=False)
    assert "42" in visible.message and "41" in visible.message
    assert "42" not in hidden.message and "41" not in hidden.message
    assert hidden.feedback == {"first_diff_line": 1}


@pytest.mark.parametrize(
    ("output", "answer", "verdict"),
    [
        (b"1\n2  3", b"1 2 3\n", Verdict.AC),
        (b"1 2", b"1 2 3", Verdict.WA),
        (b"1 2 3 4", b"1 2 3", Verdict.WA),
        (b"Yes", b"yes", Verdict.WA),
    ],
)
def test_tokens(output: bytes, answer: bytes, verdict: Verdict) -> None:
    assert check("tokens", output, answer).verdict is verdict


def test_tokens_case_insensitive_option() -> None:
    assert check("tokens", b"YES", b"yes", case_sensitive=False).verdict is Verdict.AC
    hidden = check("tokens", b"1 2", b"1 2 3", visible=False)
    assert hidden.feedback == {"expected_tokens": 3, "got_tokens": 2}


_PIECES = st.sampled_from(
    [
        b"1",
        b"ab",
        b" ",
        b"\n",
        b"\t",
        b"\x1f",
        "\u00a0".encode(),
        "\u2028".encode(),
        b"\xc3",
        b"\xa9",
        b"\xff",
    ]
)


@given(st.lists(_PIECES, max_size=12), st.lists(_PIECES, max_size=12))
def test_tokens_agree_with_their_definition(output: list[bytes], answer: list[bytes]) -> None:
    """Whatever shortcut the checker takes, its verdict is that of comparing the
    decoded texts' whitespace-separated tokens (Unicode whitespace included, bad
    UTF-8 replaced)."""
    out, ans = b"".join(output), b"".join(answer)
    tokens = [data.decode("utf-8", errors="replace").split() for data in (out, ans)]
    expected = Verdict.AC if tokens[0] == tokens[1] else Verdict.WA
    assert check("tokens", out, ans).verdict is expected
    assert check("tokens", out + b" \n", out).verdict is Verdict.AC


@given(
    st.lists(st.text(alphabet="abc123", min_size=1), max_size=20),
    st.sampled_from([" ", "\n", "\t", "  \n"]),
)
def test_tokens_ignores_whitespace(words: list[str], sep: str) -> None:
    answer = " ".join(words).encode()
    assert check("tokens", sep.join(words).encode() + b"\n", answer).verdict is Verdict.AC


@pytest.mark.parametrize(
    ("output", "answer", "verdict"),
    [
        (b"3.1415927", b"3.14159265", Verdict.AC),
        (b"3.15", b"3.14159265", Verdict.WA),
        (b"1e9", b"1000000001", Verdict.AC),  # relative error 1e-9
        (b"nan", b"nan", Verdict.WA),  # NaN never matches
        (b"inf", b"inf", Verdict.AC),
        (b"Case 1: 0.5", b"Case 1: 0.5000001", Verdict.AC),
        (b"case 1: 0.5", b"Case 1: 0.5", Verdict.WA),  # words compare exactly
        (b"abc", b"1.0", Verdict.WA),
    ],
)
def test_float(output: bytes, answer: bytes, verdict: Verdict) -> None:
    assert check("float", output, answer).verdict is verdict


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=-0.9, max_value=0.9),
)
def test_float_accepts_within_and_rejects_beyond_tolerance(value: float, fraction: float) -> None:
    tol = 1e-3
    inside = value + fraction * tol
    assert (
        check("float", repr(inside).encode(), repr(value).encode(), abs_tol=tol, rel_tol=0).verdict
        is Verdict.AC
    )
    outside = value + math.copysign(2 * tol + abs(value) * 1e-12, fraction or 1.0)
    result = check("float", repr(outside).encode(), repr(value).encode(), abs_tol=tol, rel_tol=0)
    assert result.verdict is Verdict.WA


def test_float_reports_errors() -> None:
    result = check("float", b"1.0005 2", b"1 2", abs_tol=1e-3)
    assert result.verdict is Verdict.AC
    assert result.feedback["max_abs_err"] == pytest.approx(5e-4)


@pytest.mark.parametrize(
    ("output", "answer", "verdict", "where"),
    [
        ([[1, 2.0000000001]], [[1, 2]], Verdict.AC, ""),
        ([[1, 3]], [[1, 2]], Verdict.WA, "[0][1]"),
        ({"a": 1}, {"a": 1, "b": 2}, Verdict.WA, "keys differ"),
        ({"area": [1, 2]}, {"area": [1, 2, 3]}, Verdict.WA, '["area"]'),
        (True, 1, Verdict.WA, "expected a number, got a boolean"),
        (1, 1.0, Verdict.AC, ""),
        ("x", "x", Verdict.AC, ""),
        (None, 0, Verdict.WA, "expected a number, got a null"),
    ],
)
def test_json(output: Any, answer: Any, verdict: Verdict, where: str) -> None:
    result = check("json", json.dumps(output).encode(), json.dumps(answer).encode())
    assert result.verdict is verdict
    assert where in result.message


def test_json_hides_values_on_hidden_tests() -> None:
    hidden = check("json", b"[123456]", b"[654321]", visible=False)
    visible = check("json", b"[123456]", b"[654321]", visible=True)
    assert hidden.verdict is Verdict.WA and "654321" not in hidden.message
    assert "654321" in visible.message
    assert check("json", b"not json", b"1").verdict is Verdict.WA
    assert check("json", b"1", b"{broken").verdict is Verdict.IE


def test_json_tolerance_option() -> None:
    assert check("json", b"[1.01]", b"[1.0]", rel_tol=0.05).verdict is Verdict.AC
    assert check("json", b"[1.01]", b"[1.0]").verdict is Verdict.WA
