# Crashes after the first answer (a bug in its bookkeeping): a run-time error, even
# though the judge is still waiting for the next question.
n = int(input())
print("?", (n + 1) // 2, flush=True)
answer = input().strip()
steps = 0
print("?", n // steps, flush=True)
