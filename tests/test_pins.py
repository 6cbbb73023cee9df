"""The learner runtime's versions are pinned once, in `scripts/pins.env`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
READERS = ("Dockerfile", "scripts/build-images", "scripts/build-runtime")


def _pins() -> dict[str, str]:
    text = (REPO / "scripts" / "pins.env").read_text()
    return dict(re.findall(r"^([A-Z_]+)=(\S+)$", text, re.MULTILINE))


def test_pyproject_torch_extra_is_the_pinned_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert extras["torch"] == [f"torch=={_pins()['TORCH_VERSION']}"]


def test_every_learner_runtime_installs_triton_at_its_pin() -> None:
    """Kernel problems run under bwrap (.runtime) and docker alike: both builds and the
    registry Dockerfile install Triton, at the pinned version."""
    for name in READERS:
        text = (REPO / name).read_text()
        assert re.search(r"triton==\"?\$TRITON_VERSION", text), f"{name} does not install triton"


def test_the_build_files_read_the_pins_instead_of_repeating_them() -> None:
    pins = _pins()
    assert set(pins) == {"TORCH_VERSION", "NUMPY_VERSION", "TRITON_VERSION"}
    for name in READERS:
        text = (REPO / name).read_text()
        assert "pins.env" in text, f"{name} does not read scripts/pins.env"
        for value in pins.values():
            assert not re.search(rf"=={re.escape(value)}\b", text), f"{name} repeats {value}"
