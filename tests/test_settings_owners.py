"""Every `GRADEBOX_` variable has one owner: no two settings classes declare it.

The classes are found, not listed: every `settings.py` / `*_settings.py` module of the
three layers is imported, and every `BaseSettings` subclass defined there counts.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path

from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("sandbox", "graders", "backend")


def settings_classes() -> list[type[BaseSettings]]:
    found: list[type[BaseSettings]] = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*settings.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            module = importlib.import_module(name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, BaseSettings)
                    and value is not BaseSettings
                    and value.__module__ == name
                ):
                    found.append(value)
    return found


def variables(cls: type[BaseSettings]) -> set[str]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    names = set()
    for field_name, info in cls.model_fields.items():
        alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
        names.add((alias or prefix + field_name).upper())
    return names


def owners() -> dict[str, list[str]]:
    declared: dict[str, list[str]] = defaultdict(list)
    for cls in settings_classes():
        for variable in variables(cls):
            declared[variable].append(f"{cls.__module__}.{cls.__qualname__}")
    return declared


def test_the_settings_classes_of_every_layer_are_found() -> None:
    names = {cls.__qualname__ for cls in settings_classes()}
    assert {"SandboxSettings", "GraderSettings", "Settings", "ClientSettings"} <= names


def test_every_gradebox_variable_has_one_owner() -> None:
    shared = {name: where for name, where in owners().items() if len(where) > 1}
    assert not shared, f"declared by more than one settings class: {shared}"


def test_a_variable_declared_twice_is_caught() -> None:
    """The check itself: a second class declaring GRADEBOX_SANDBOX is a duplicate."""

    class Stray(BaseSettings):
        model_config = {"env_prefix": "GRADEBOX_"}
        sandbox: str = "auto"

    from sandbox.settings import SandboxSettings

    assert variables(Stray) & variables(SandboxSettings) == {"GRADEBOX_SANDBOX"}
