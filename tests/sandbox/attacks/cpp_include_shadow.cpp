// Compile-time read: the compiler would print the file in its error message.
#include "/etc/shadow"
int main() {}
