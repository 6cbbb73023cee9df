n = int(input())
# TODO: ask "? y" (then flush), read "<", ">" or "=", and finish with "! x"
print("?", 1, flush=True)
answer = input().strip()
print("!", 1, flush=True)
