# With ctypes hidden, look for it where a warm interpreter could have left it: in
# sys.modules, among the objects the garbage collector tracks, in this process's
# memory maps, through the fork server's code left in gc, and in the interpreter's
# cache of loaded extension modules (which `_imp.create_dynamic` consults before it
# opens the file: a spec with the origin the module had, guessed, would hand back a
# module that was loaded once).
import _imp
import gc
import glob
import importlib.machinery
import sys

FFI = ("ctypes", "_ctypes", "cffi", "_cffi_backend")
wins = [f"sys.modules {n}" for n in sys.modules if n.split(".")[0] in FFI]
for obj in gc.get_objects():
    module = getattr(type(obj), "__module__", None)
    if isinstance(module, str) and module.split(".")[0] in FFI:
        wins.append(f"gc {type(obj).__name__}")
        break
    if type(obj).__name__ == "module" and getattr(obj, "__name__", "").split(".")[0] in FFI:
        wins.append(f"gc module {obj.__name__}")
        break
# The fork server's set-up code (the agent's file, loaded there) may still be
# reachable through gc: its own way to ctypes must fail too.
for obj in gc.get_objects():
    if callable(obj) and getattr(obj, "__name__", "") == "load_ctypes":
        try:
            obj()
            wins.append("load_ctypes")
        except Exception:
            pass
        break
with open("/proc/self/maps") as fh:
    for line in fh:
        base = line.rstrip("\n").rsplit("/", 1)[-1]
        if base.startswith(("_ctypes", "_cffi_backend", "libffi")):
            wins.append(f"maps {base}")
            break
suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
origins = set(glob.glob("/usr/lib/python3*/lib-dynload/_ctypes*.so"))
for folder in (
    "/usr/lib/python3.11/lib-dynload",
    "/usr/local/lib/python3.11/lib-dynload",
    "/opt/gradebox/private",
    "/opt/gradebox/hideable/_ctypes",
    "/usr/lib/python3/dist-packages",
    sys.prefix + "/lib/python3.11/lib-dynload",
):
    origins.add(f"{folder}/_ctypes{suffix}")
    origins.add(f"{folder}/_ctypes.so")
    origins.add(f"{folder}/_cffi_backend{suffix}")
for origin in sorted(origins):
    for name in ("_ctypes", "_cffi_backend"):
        spec = importlib.machinery.ModuleSpec(name, None, origin=origin)
        try:
            module = _imp.create_dynamic(spec)
        except Exception:
            continue
        if module is not None:
            wins.append(f"create_dynamic {origin}")
print("ESCAPED " + " ".join(wins) if wins else "BLOCKED")
