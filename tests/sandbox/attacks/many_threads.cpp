// Start threads until refused; the count must stay under the pids limit.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <system_error>
#include <thread>
#include <vector>
std::atomic<bool> done{false};
int main() {
    std::vector<std::thread> threads;
    try {
        while (threads.size() < 100000)
            threads.emplace_back([] { while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(5)); });
    } catch (const std::system_error&) {
    }
    std::printf("LIMITED %zu\n", threads.size());
    std::fflush(stdout);
    done = true;
    for (auto& t : threads) t.join();
}
