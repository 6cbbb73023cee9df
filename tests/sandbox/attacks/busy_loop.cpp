// Burn CPU forever (volatile so -O2 keeps the loop).
int main() { volatile unsigned long x = 0; while (true) x++; }
