# Forgets to flush: its question sits in a buffer while it waits for the answer,
# and the judge waits for the question (a deadlock, ended by the wall clock).
import sys

n = int(sys.stdin.readline())
sys.stdout.write(f"? {(n + 1) // 2}\n")
answer = sys.stdin.readline()
sys.stdout.write("! 1\n")
