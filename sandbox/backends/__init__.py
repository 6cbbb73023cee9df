"""Built-in backends; importing this package registers them."""

from sandbox.backends import bwrap, docker, none  # noqa: F401
