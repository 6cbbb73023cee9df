// Breadth-first flood fill with an explicit queue: no recursion, O(R*C).
#include <cstdio>
#include <string>
#include <vector>

int main() {
    int rows, cols;
    if (std::scanf("%d %d", &rows, &cols) != 2) return 1;
    std::vector<std::string> grid(rows);
    std::vector<char> line(cols + 2);
    for (int r = 0; r < rows; ++r) {
        std::scanf("%s", line.data());
        grid[r] = line.data();
    }
    std::vector<int> queue;
    queue.reserve(static_cast<size_t>(rows) * cols);
    long long best = 0;
    const int dr[4] = {1, -1, 0, 0}, dc[4] = {0, 0, 1, -1};
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            if (grid[r][c] != '1') continue;
            grid[r][c] = '0';
            queue.clear();
            queue.push_back(r * cols + c);
            for (size_t head = 0; head < queue.size(); ++head) {
                int y = queue[head] / cols, x = queue[head] % cols;
                for (int d = 0; d < 4; ++d) {
                    int ny = y + dr[d], nx = x + dc[d];
                    if (ny < 0 || ny >= rows || nx < 0 || nx >= cols || grid[ny][nx] != '1') continue;
                    grid[ny][nx] = '0';
                    queue.push_back(ny * cols + nx);
                }
            }
            if (static_cast<long long>(queue.size()) > best) best = queue.size();
        }
    }
    std::printf("%lld\n", best);
    return 0;
}
