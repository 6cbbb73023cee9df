// Kruskal: sort by weight, union-find with path halving and union by size.
#include <algorithm>
#include <cstdio>
#include <tuple>
#include <utility>
#include <vector>

int main() {
    int n, m;
    if (std::scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::tuple<long long, int, int>> edges(m);
    for (auto& [w, u, v] : edges) std::scanf("%d %d %lld", &u, &v, &w);
    std::sort(edges.begin(), edges.end());
    std::vector<int> parent(n + 1), size(n + 1, 1);
    for (int i = 0; i <= n; ++i) parent[i] = i;
    auto find = [&](int x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    long long total = 0;
    int taken = 0;
    for (auto& [w, u, v] : edges) {
        int a = find(u), b = find(v);
        if (a == b) continue;
        if (size[a] < size[b]) std::swap(a, b);
        parent[b] = a;
        size[a] += size[b];
        total += w;
        ++taken;
    }
    if (taken == n - 1)
        std::printf("%lld\n", total);
    else
        std::puts("IMPOSSIBLE");
}
