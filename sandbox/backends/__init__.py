"""Built-in backends; importing this package registers them."""

from sandbox.backends import bwrap, none  # noqa: F401
