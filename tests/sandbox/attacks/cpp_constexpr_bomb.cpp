// Compile-time busy loop: 2^34 steps of constexpr evaluation (each loop stays under
// -fconstexpr-loop-limit), so only the time limit stops the compiler.
constexpr unsigned long spin() {
    unsigned long x = 0;
    for (unsigned long i = 0; i < (1ul << 17); ++i)
        for (unsigned long j = 0; j < (1ul << 17); ++j) x += i ^ j ^ (x >> 3);
    return x;
}
constexpr unsigned long value = spin();
int main() { return value & 1; }
