# With ctypes banned (hidden by the session), load its C half by file path, import the
# package, or reach another FFI (cffi) by extending sys.path.
import glob
import importlib
import importlib.machinery
import importlib.util
import sys

wins = []
for name in ("ctypes", "_ctypes", "cffi", "_cffi_backend"):
    try:
        importlib.import_module(name)
        wins.append(name)
    except Exception:
        pass
sys.path[:0] = glob.glob("/usr/lib/python3*/*-packages") + glob.glob(
    "/usr/local/lib/python3*/*-packages"
)
importlib.invalidate_caches()
for name in ("cffi", "_cffi_backend"):
    try:
        importlib.import_module(name)
        wins.append(f"sys.path {name}")
    except Exception:
        pass
candidates = []
folders = glob.glob("/usr/lib/python3*") + glob.glob("/usr/lib/python3*/lib-dynload")
folders += glob.glob("/usr/lib/python3*/*-packages") + glob.glob(
    "/usr/local/lib/python3*/*-packages"
)
folders += (
    glob.glob("/opt/*/lib/python3*/*")
    + glob.glob("/opt/gradebox/*")
    + glob.glob("/opt/gradebox/*/*")
)
for folder in folders:
    candidates += glob.glob(f"{folder}/_ctypes*.so") + glob.glob(f"{folder}/_cffi_backend*.so")
for path in candidates:
    name = "_ctypes" if "_ctypes" in path else "_cffi_backend"
    try:
        loader = importlib.machinery.ExtensionFileLoader(name, path)
        spec = importlib.util.spec_from_loader(name, loader)
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        wins.append(f"path {path}")
    except Exception:
        pass
print("ESCAPED " + " ".join(wins) if wins else "BLOCKED")
