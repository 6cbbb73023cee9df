"""Runs an instructor's validator inside the checker's own sandbox.

Kattis output-validator convention: `VALIDATOR input judge_answer feedback_dir/
[flags...]` with the team's output on stdin; exit 42 accepts, 43 rejects; messages
in `feedback_dir/judgemessage.txt` (judge-facing) and `teammessage.txt`
(learner-facing), an optional `score.txt` in [0, 1]. The sandbox API returns only
stdout, so this runner makes the feedback directory, runs the validator and prints
one JSON report.

Usage: `python3 runner.py [--interactive | --plain] [--flags F1,F2] [CMD...]`
(default CMD: `python3 checker.py`). `--plain` runs an input validator: the test
input on stdin, only the flags as arguments, stdout kept in the report. A compiled
validator arrives without the exec bit, so `./validator.bin` is first copied to an
executable file. With `--interactive` the
validator is an interactor: it inherits this process's stdin and stdout (the pipes
to the learner's program), and the report goes to stderr as the last line, after the
protocol's validator-report marker. Copied into the sandbox as
`protocol.CHECKER_RUNNER_FILE`, next to the protocol module it imports.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import gradebox_protocol as wire

CAP = 4096


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(CAP)
    except OSError:
        return ""


def _executable(path: str) -> str:
    """An executable copy of `path`, made once per session (runs reuse it, so a long
    session does not fill its workdir with copies)."""
    target = os.path.abspath(path + ".exe")
    if os.path.isfile(target) and os.path.getsize(target) == os.path.getsize(path):
        return target
    fd, staging = tempfile.mkstemp(prefix="validator-", dir=".")
    with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
        shutil.copyfileobj(src, out)
    os.chmod(staging, 0o700)
    os.replace(staging, target)
    return target


def main() -> None:
    args = sys.argv[1:]
    interactive = bool(args) and args[0] == "--interactive"
    plain = bool(args) and args[0] == "--plain"
    if interactive or plain:
        args = args[1:]
    flags: list[str] = []
    if args[:1] == ["--flags"]:
        flags = [flag for flag in args[1].split(",") if flag]
        args = args[2:]
    command = args or [sys.executable, "checker.py"]
    if command[0] == "python3":
        command[0] = sys.executable
    elif not command[0].startswith("/"):
        command[0] = _executable(command[0])
    if plain:
        proc = subprocess.run([*command, *flags], capture_output=True, check=False)
        report = {
            "exit": proc.returncode,
            "stdout": proc.stdout[-CAP:].decode("utf-8", errors="replace"),
            "stderr": proc.stderr[-CAP:].decode("utf-8", errors="replace"),
        }
        sys.stdout.write(json.dumps(report))
        return
    feedback = tempfile.mkdtemp(prefix="feedback-")
    proc = subprocess.run(
        [*command, "input", "judge_answer", feedback + "/", *flags],
        stdin=None if interactive else sys.stdin,
        stdout=None if interactive else subprocess.DEVNULL,
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
    if interactive:
        sys.stdout.close()
        sys.stderr.write("\n" + wire.VALIDATOR_REPORT_MARKER + json.dumps(report) + "\n")
    else:
        sys.stdout.write(json.dumps(report))


if __name__ == "__main__":
    main()
