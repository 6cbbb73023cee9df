// About 200,000 distinct template instantiations: the compiler needs ~600 MB.
template <int N, int M> struct X { static constexpr unsigned long v = X<N - 1, M>::v + X<N, M - 1>::v; };
template <int M> struct X<0, M> { static constexpr unsigned long v = 1; };
template <int N> struct X<N, 0> { static constexpr unsigned long v = 1; };
int main() { return X<440, 440>::v & 1; }
