"""Runs an instructor's `checker.py` inside the checker's own sandbox.

Kattis output-validator convention: `checker.py input judge_answer feedback_dir/`
with the team's output on stdin; exit 42 accepts, 43 rejects; messages in
`feedback_dir/judgemessage.txt` (judge-facing) and `teammessage.txt` (learner-facing),
an optional `score.txt` in [0, 1]. The sandbox API returns only stdout, so this
runner makes the feedback directory, runs the checker and prints one JSON line.
"""

import json
import subprocess
import sys
import tempfile

CAP = 4096


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(CAP)
    except OSError:
        return ""


def main() -> None:
    feedback = tempfile.mkdtemp(prefix="feedback-")
    proc = subprocess.run(
        [sys.executable, "checker.py", "input", "judge_answer", feedback + "/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    report = {
        "exit": proc.returncode,
        "judgemessage": _read(feedback + "/judgemessage.txt"),
        "teammessage": _read(feedback + "/teammessage.txt"),
        "score": _read(feedback + "/score.txt").strip(),
        "stderr": proc.stderr[-CAP:].decode("utf-8", errors="replace"),
    }
    sys.stdout.write(json.dumps(report))


main()
