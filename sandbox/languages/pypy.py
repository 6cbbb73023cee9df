"""PyPy 3 (Debian's `pypy3`): Python source run by a JIT, for CPU-bound stdio problems.

It runs Python like CPython does (the same `stdio` guard launcher, the same syntax
check) but without the runtime's NumPy or torch, so harnessed problem types, which
take CPython only, refuse it. It claims no file suffix: a `.py` file is CPython's.
The bwrap sandbox binds the host's /usr, so the Debian package is all it needs.

A ban cannot be made an absence here: PyPy keeps its standard library outside the
folders the sandbox hides, and builds some doors (`_rawffi`, `__pypy__`) into its
binary, so PyPy takes no problem that bans modules (the package loader refuses it).
"""

from sandbox.languages.base import Language, register_language

PYPY = register_language(
    Language(
        id="pypy",
        display_name="PyPy 3",
        source_name="main.py",
        run_argv=("pypy3", "main.py"),
        check_argv=("pypy3", "-m", "py_compile"),
        launcher=("pypy3",),
        hides_banned_modules=False,
        editor_mode="python",
        self_test='import sys\nprint("ok" if sys.implementation.name == "pypy" else "cpython")\n',
    )
)
