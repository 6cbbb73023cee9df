#include <iostream>
#include <string>
#include <vector>

int main() {
    int h, w;
    std::cin >> h >> w;
    std::vector<std::string> grid(h);
    for (auto& row : grid) std::cin >> row;
    // TODO: breadth-first search from S; print the number of moves to T, or -1
    std::cout << -1 << "\n";
}
