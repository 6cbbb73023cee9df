// BFS over the flattened grid; cells marked when enqueued.
#include <cstdio>
#include <string>
#include <vector>

int main() {
    int h, w;
    if (std::scanf("%d %d", &h, &w) != 2) return 1;
    std::string grid;
    grid.reserve(static_cast<size_t>(h) * w);
    std::vector<char> row(w + 1);
    for (int r = 0; r < h; ++r) {
        static char buf[1 << 12];
        std::scanf("%4095s", buf);
        grid += buf;
    }
    int start = static_cast<int>(grid.find('S')), target = static_cast<int>(grid.find('T'));
    std::vector<int> dist(grid.size(), -1), queue;
    queue.reserve(grid.size());
    dist[start] = 0;
    queue.push_back(start);
    for (size_t head = 0; head < queue.size(); ++head) {
        int cell = queue[head], r = cell / w, c = cell % w;
        int next[4] = {r > 0 ? cell - w : -1, r < h - 1 ? cell + w : -1, c > 0 ? cell - 1 : -1,
                       c < w - 1 ? cell + 1 : -1};
        for (int n : next) {
            if (n >= 0 && dist[n] < 0 && grid[n] != '#') {
                dist[n] = dist[cell] + 1;
                queue.push_back(n);
            }
        }
    }
    std::printf("%d\n", dist[target]);
}
