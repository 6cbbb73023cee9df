#include <iostream>
#include <string>

int main() {
    long long n;
    std::cin >> n;
    // TODO: ask "? y" (std::endl flushes), read "<", ">" or "=", finish with "! x"
    std::cout << "? 1" << std::endl;
    std::string answer;
    std::cin >> answer;
    std::cout << "! 1" << std::endl;
}
