#include <iostream>
#include <tuple>
#include <vector>

int main() {
    int n, m;
    std::cin >> n >> m;
    std::vector<std::tuple<int, int, long long>> edges(m);
    for (auto& [u, v, w] : edges) std::cin >> u >> v >> w;
    // TODO: Kruskal: sort by weight, take the edges that join two components
    std::cout << "IMPOSSIBLE\n";
}
