// Compile-time read of the judge's own settings file (path filled in by the test).
#include "@HOST_DIR@/.env"
int main() {}
