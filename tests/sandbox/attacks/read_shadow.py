# Password hashes and root's files.
leaks = []
for path in ("/etc/shadow", "/etc/gshadow", "/root/.bash_history", "/root/.ssh/id_rsa"):
    try:
        with open(path, "rb") as fh:
            leaks.append(fh.read(200))
    except OSError:
        pass
print("ESCAPED", leaks) if leaks else print("BLOCKED")
