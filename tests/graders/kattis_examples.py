"""The problemtools example packages, downloaded by name from PyPI (never vendored).

`pip download --no-deps --no-binary :all: problemtools` fetches the source
distribution, which carries `examples/{hello,different,guess,oddecho}`; it is kept in
a cache folder under the system temp directory, so one download serves later runs.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "gradebox-test-cache" / "problemtools"
EXAMPLES = ("hello", "different", "guess", "oddecho")


def problemtools_examples() -> Path:
    """The `examples/` folder of the newest problemtools sdist, downloaded once."""
    done = CACHE / "examples"
    if (done / "hello" / "problem.yaml").is_file():
        return done
    CACHE.mkdir(parents=True, exist_ok=True)
    download = CACHE / "sdist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-binary",
            ":all:",
            "problemtools",
            "-d",
            str(download),
        ],  # fmt: skip
        check=True,
        timeout=600,
    )
    archive = next(download.glob("problemtools-*.tar.gz"))
    staging = Path(tempfile.mkdtemp(dir=CACHE))
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/examples/" in m.name]
        tar.extractall(staging, members=members, filter="data")
    (examples,) = staging.glob("problemtools-*/examples")
    examples.rename(done)  # atomic: a half-extracted tree is never taken as done
    return done
