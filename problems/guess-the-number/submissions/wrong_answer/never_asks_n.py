# Off by one: searches [1, n - 1], so it never finds x = n.
n = int(input())
lo, hi = 1, n - 1
mid = 1
while lo <= hi:
    mid = (lo + hi) // 2
    print("?", mid, flush=True)
    answer = input().strip()
    if answer == "=":
        break
    if answer == "<":
        hi = mid - 1
    else:
        lo = mid + 1
print("!", mid, flush=True)
