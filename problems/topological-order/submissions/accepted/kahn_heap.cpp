// Kahn's algorithm with a min-heap of ready tasks.
#include <cstdio>
#include <functional>
#include <queue>
#include <vector>

int main() {
    int n, m;
    if (std::scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::vector<int>> out(n + 1);
    std::vector<int> indeg(n + 1, 0);
    for (int i = 0; i < m; ++i) {
        int u, v;
        std::scanf("%d %d", &u, &v);
        out[u].push_back(v);
        ++indeg[v];
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int t = 1; t <= n; ++t)
        if (indeg[t] == 0) ready.push(t);
    std::vector<int> order;
    while (!ready.empty()) {
        int t = ready.top();
        ready.pop();
        order.push_back(t);
        for (int v : out[t])
            if (--indeg[v] == 0) ready.push(v);
    }
    if (static_cast<int>(order.size()) != n) {
        std::puts("CYCLE");
        return 0;
    }
    for (int i = 0; i < n; ++i) std::printf(i + 1 < n ? "%d " : "%d\n", order[i]);
}
