"""The Kattis format's own error (a `ProblemFormatError`, so it names the file)."""

from __future__ import annotations

from graders.errors import ProblemFormatError


class KattisImportError(ProblemFormatError):
    """The Kattis package uses something Gradebox cannot represent (or is unsafe)."""
