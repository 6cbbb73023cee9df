"""The shape of a language: its files, how to check or compile it, how to run it.

A language owns every fact about itself, so the code that uses languages never
switches on a language's name: its source extensions (for reference solutions
found by file name), its compile step or, for interpreted languages, its syntax
check (a failure is CE), its run command, and its `launcher`, the interpreter that
runs Python files, through which a Python-family language starts the judge's
Python launchers (the banned-module guard of `stdio` problems) before the learner's
code. Adding a language is one module here plus its tests.

Argv entries are resolved inside the sandbox, where `PATH` points at the runtime
(`python3` is the runtime's interpreter, `g++` the system compiler).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.errors import SandboxError
from sandbox.plugins import Registry


class UnknownLanguage(SandboxError):
    """A submission named a language that no module registers."""


@dataclass(frozen=True, slots=True)
class Language:
    id: str
    display_name: str
    source_name: str
    run_argv: tuple[str, ...]
    compile_argv: tuple[str, ...] | None = None
    # Interpreted languages: a syntax check run before the tests, the learner's file
    # name appended (a failure is CE, as a compile error is).
    check_argv: tuple[str, ...] | None = None
    # The interpreter that runs Python files (None: the program runs natively).
    launcher: tuple[str, ...] | None = None
    # Whether a problem's banned modules can be made absent for this language (its
    # modules live where the sandbox session hides them). False: the language cannot
    # take a problem that bans modules, since an in-process guard alone proves nothing.
    hides_banned_modules: bool = True
    # File suffixes that name this language (reference solutions, `gradebox grade`);
    # a suffix belongs to the first language registered with it.
    extensions: tuple[str, ...] = ()
    editor_mode: str = "text"
    # A tiny program whose run prints "ok": the language's self-test.
    self_test: str = ""

    def check_step(self, filename: str) -> tuple[str, ...] | None:
        """The argv that compiles or checks the learner's `filename`, None if none."""
        if self.compile_argv is not None:
            return self.compile_argv
        if self.check_argv is not None:
            return (*self.check_argv, filename)
        return None

    @property
    def runs_python(self) -> bool:
        """The learner writes Python source (the static scan can read it)."""
        return self.launcher is not None


def _unknown(language_id: str, known: str) -> UnknownLanguage:
    return UnknownLanguage(f"unknown language {language_id!r} (known: {known})")


LANGUAGES: Registry[str, Language] = Registry(_unknown)


def register_language(language: Language) -> Language:
    return LANGUAGES.register(language.id, language)


def get_language(language_id: str) -> Language:
    return LANGUAGES.get(language_id)


def languages() -> list[Language]:
    return LANGUAGES.values()


def language_for_extension(suffix: str) -> Language | None:
    """The language a file suffix (`.cpp`) names, None for an unknown one."""
    return LANGUAGES.find(lambda language: suffix in language.extensions)
