#include <cstdio>
#include <string>
#include <vector>

int main() {
    int rows, cols;
    std::scanf("%d %d", &rows, &cols);
    std::vector<std::string> grid(rows);
    std::vector<char> line(cols + 2);
    for (int r = 0; r < rows; ++r) {
        std::scanf("%s", line.data());
        grid[r] = line.data();
    }
    // TODO: print the size of the largest 4-connected region of 1s
    std::printf("%d\n", 0);
    return 0;
}
