// Allocate and touch 16 MiB blocks until something stops us.
#include <cstring>
#include <vector>
int main() {
    std::vector<char*> blocks;
    while (true) {
        char* p = new char[16 << 20];
        std::memset(p, 1, 16 << 20);
        blocks.push_back(p);
    }
}
