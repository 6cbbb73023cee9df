"""Exceptions of the sandbox layer.

    SandboxError            the sandbox itself failed (not the program inside it)
    +-- SandboxUnavailable  the backend cannot run on this host (missing binary, no daemon)

A program that crashes, times out or runs out of memory is *not* an error: it is a
`RunResult` with the matching status.
"""


class SandboxError(Exception):
    """The isolation machinery failed; the run's outcome is unknown."""


class SandboxUnavailable(SandboxError):
    """The requested backend cannot be used on this host."""
