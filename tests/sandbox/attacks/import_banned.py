# With torch banned (hidden by the session), reach it every way Python offers.
import glob
import importlib
import importlib.util
import runpy
import sys

wins = []
attempts = [
    ("import", lambda: __import__("torch")),
    ("importlib", lambda: importlib.import_module("torch")),
    ("submodule", lambda: importlib.import_module("torch.nn.functional")),
    ("runpy", lambda: runpy.run_module("torch", run_name="x")),
    (
        "builtins",
        lambda: (
            __builtins__.__import__("torch")
            if hasattr(__builtins__, "__import__")
            else __import__("torch")
        ),
    ),
]
for name, attempt in attempts:
    try:
        module = attempt()
        if getattr(module, "tensor", None) is not None or isinstance(module, dict):
            wins.append(name)
    except Exception:
        pass
# Every folder that could hold it, whether or not it is on sys.path.
roots = glob.glob("/usr/lib/python3*/*-packages") + glob.glob("/usr/local/lib/python3*/*-packages")
roots += glob.glob("/opt/*/lib/python3*/site-packages") + glob.glob("/usr/lib/python3*")
sys.path[:0] = roots
sys.modules.pop("torch", None)
importlib.invalidate_caches()
try:
    if getattr(importlib.import_module("torch"), "tensor", None) is not None:
        wins.append("sys.path")
except Exception:
    pass
# By file path, straight to the package's __init__ or its C extension.
paths = []
for root in roots + glob.glob("/opt/gradebox/*"):
    paths += glob.glob(f"{root}/torch/__init__.py") + glob.glob(f"{root}/torch/_C*.so")
for path in paths:
    try:
        spec = importlib.util.spec_from_file_location("torch", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["torch"] = module
        spec.loader.exec_module(module)
        wins.append(f"path {path}")
    except Exception:
        pass
print("ESCAPED " + " ".join(wins) if wins else "BLOCKED")
