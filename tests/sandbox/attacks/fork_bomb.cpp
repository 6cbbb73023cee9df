// The classic: every process forks forever.
#include <unistd.h>
int main() { while (true) fork(); }
