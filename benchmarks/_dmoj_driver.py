"""A long-lived DMOJ judge that grades submissions sent as JSON lines on stdin.

Run by `benchmarks/vs_dmoj.py` with the DMOJ venv's interpreter, as an unprivileged
user (DMOJ refuses root). It is a DMOJ judge as its own CLI builds one (`LocalJudge`:
configuration, executors self-tested once at start-up, then a worker process per
submission), minus the interactive shell: one request per line,

    {"problem": ID, "language": "PY3", "source": TEXT, "time_limit": S, "memory_kb": KB}

answered by one line, {"verdicts": [CODE per test], "compile_error": TEXT | null,
"internal_error": TEXT | null}. This file imports only DMOJ and the standard library:
it runs outside Gradebox's environment.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Any


def main() -> None:
    config = sys.argv[1]
    sys.argv = ["dmoj-cli", "-c", config, "--no-ansi", "-e", "PY3,CPP17"]
    from dmoj import contrib, executors, judgeenv

    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the replies only
        judgeenv.load_env(cli=True)
        executors.load_executors()
        contrib.load_contrib_modules()
    from dmoj.cli import LocalJudge, LocalPacketManager
    from dmoj.judge import Submission

    class Recorder(LocalPacketManager):  # type: ignore[misc]
        """Keeps what a DMOJ site would be told: each test's status, compile errors."""

        def __init__(self, judge: Any) -> None:
            super().__init__(judge)
            self.reset()

        def reset(self) -> None:
            self.verdicts: list[str] = []
            self.compile_error: str | None = None
            self.internal_error: str | None = None

        def test_case_status_packet(self, position: int, result: Any) -> None:
            self.verdicts.append(result.readable_codes()[0])

        def compile_error_packet(self, log: str) -> None:
            self.compile_error = log

        def internal_error_packet(self, message: str) -> None:
            self.internal_error = message

    judge = LocalJudge()
    recorder = Recorder(judge)
    judge.packet_manager = recorder
    judge.listen()
    print(json.dumps({"ready": sorted(executors.executors)}), flush=True)
    try:
        for number, line in enumerate(sys.stdin, start=1):
            request = json.loads(line)
            recorder.reset()
            submission = Submission(
                number,
                request["problem"],
                request["language"],
                request["source"],
                float(request["time_limit"]),
                int(request["memory_kb"]),
                False,
                {},
            )
            judge.begin_grading(submission, blocking=True, report=lambda _line: None)
            reply = {
                "verdicts": recorder.verdicts,
                "compile_error": recorder.compile_error,
                "internal_error": recorder.internal_error,
            }
            print(json.dumps(reply), flush=True)
    finally:
        judge.murder()


if __name__ == "__main__":
    main()
