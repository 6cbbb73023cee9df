#include <cstdio>

int main() {
    int n, q;
    if (std::scanf("%d %d", &n, &q) != 2) return 1;
    for (int i = 0; i < q; ++i) {
        int u, v;
        std::scanf("%d %d", &u, &v);
        // TODO: union-find: merge the groups of u and v
        std::printf("%d\n", n);
    }
}
