// Union by size with path halving.
#include <cstdio>
#include <utility>
#include <vector>

int main() {
    int n, q;
    if (std::scanf("%d %d", &n, &q) != 2) return 1;
    std::vector<int> parent(n + 1), size(n + 1, 1);
    for (int i = 0; i <= n; ++i) parent[i] = i;
    auto find = [&](int x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    int groups = n;
    for (int i = 0; i < q; ++i) {
        int u, v;
        std::scanf("%d %d", &u, &v);
        u = find(u), v = find(v);
        if (u != v) {
            if (size[u] < size[v]) std::swap(u, v);
            parent[v] = u;
            size[u] += size[v];
            --groups;
        }
        std::printf("%d\n", groups);
    }
}
