"""Blocks imports of modules a problem bans, from inside the learner's process.

Copied into the sandbox and imported by a harness *before* the learner's code. An
audit hook cannot be removed once installed (PEP 578). This is a rule of the
exercise ("write the backward pass without torch"), not the security boundary:
the sandbox is. A violation raises `BannedModuleError`; the harness reports it on
stderr with the `GRADEBOX-BANNED:` marker and exit code 3, which the judge turns
into a distinct message.
"""

import sys

BANNED_EXIT_CODE = 3
MARKER = "GRADEBOX-BANNED:"


class BannedModuleError(ImportError):
    pass


def install(banned, preload=()):
    """Ban `banned` top-level modules; modules in `preload` are imported first.

    Preloading lets allowed libraries use a banned helper internally (NumPy imports
    ctypes); the cached entries are then dropped so the learner's own `import`
    goes through the import system again and meets the hook.
    """
    banned = frozenset(banned)
    for name in preload:
        try:
            __import__(name)
        except ImportError:
            pass
    for name in list(sys.modules):
        if name.split(".")[0] in banned:
            del sys.modules[name]

    def hook(event, args):
        if event == "import" and args and str(args[0]).split(".")[0] in banned:
            raise BannedModuleError(f"uses banned module {str(args[0]).split('.')[0]}")

    sys.addaudithook(hook)


def report_and_exit(exc):
    sys.stderr.write(f"{MARKER} {exc}\n")
    sys.stderr.flush()
    raise SystemExit(BANNED_EXIT_CODE)
