// Endless stderr.
#include <cstdio>
#include <cstring>
int main() {
    static char buf[65537];
    std::memset(buf, 'e', 65536);
    while (true) std::fputs(buf, stderr);
}
