"""The deployment tests build their apps like the backend's (bwrap, never "auto")."""

from tests.backend.conftest import bwrap_sandbox

__all__ = ["bwrap_sandbox"]
