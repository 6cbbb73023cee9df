"""What the judgehost raises.

JudgehostError          the server refused a request for a reason retrying won't fix
+-- JudgehostRefused    the token is not accepted (401/403): the loop stops
+-- LeaseLost           the job was reassigned or finished by someone else (409)
"""

from __future__ import annotations


class JudgehostError(Exception):
    """The server refused a judgehost request for a reason retrying won't fix."""


class JudgehostRefused(JudgehostError):
    """The server does not accept this judgehost's token (401/403): retrying is useless."""


class LeaseLost(JudgehostError):
    """The job was reassigned or finished by someone else (HTTP 409)."""
