// Password hashes, from C++.
#include <fstream>
#include <iostream>
#include <sstream>
int main() {
    std::ifstream f("/etc/shadow");
    if (!f) { std::cout << "BLOCKED\n"; return 0; }
    std::stringstream ss; ss << f.rdbuf();
    std::cout << "ESCAPED " << ss.str();
}
