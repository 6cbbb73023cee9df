"""The shape of a language: how to compile it and how to run it, inside a sandbox.

Argv entries are resolved inside the sandbox, where `PATH` points at the runtime
(`python3` is the runtime's interpreter, `g++` the system compiler).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.errors import SandboxError


class UnknownLanguage(SandboxError):
    """A submission named a language that no module registers."""


@dataclass(frozen=True, slots=True)
class Language:
    id: str
    display_name: str
    source_name: str
    run_argv: tuple[str, ...]
    compile_argv: tuple[str, ...] | None = None
    editor_mode: str = "text"
    # A tiny program whose run prints "ok": the language's self-test.
    self_test: str = ""


_LANGUAGES: dict[str, Language] = {}


def register_language(language: Language) -> Language:
    _LANGUAGES[language.id] = language
    return language


def get_language(language_id: str) -> Language:
    try:
        return _LANGUAGES[language_id]
    except KeyError:
        known = ", ".join(sorted(_LANGUAGES))
        raise UnknownLanguage(f"unknown language {language_id!r} (known: {known})") from None


def languages() -> list[Language]:
    return list(_LANGUAGES.values())
