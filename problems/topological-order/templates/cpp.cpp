#include <iostream>
#include <vector>

int main() {
    int n, m;
    std::cin >> n >> m;
    std::vector<std::pair<int, int>> rules(m);
    for (auto& [u, v] : rules) std::cin >> u >> v;
    // TODO: the lexicographically smallest topological order, or CYCLE
    std::cout << "CYCLE\n";
}
