"""Languages learners can submit in; one module each, collected in a registry."""

from sandbox.languages.base import Language, get_language, languages, register_language

from sandbox.languages import c, cpp, python  # noqa: E402,F401  isort: skip

__all__ = ["Language", "get_language", "languages", "register_language"]
