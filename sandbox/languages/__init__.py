"""Languages learners can submit in; one module each, collected in a registry."""

from sandbox.languages.base import (
    Language,
    get_language,
    language_for_extension,
    languages,
    register_language,
)

from sandbox.languages import c, cpp, pypy, python  # noqa: E402,F401  isort: skip

__all__ = [
    "Language",
    "get_language",
    "language_for_extension",
    "languages",
    "register_language",
]
