/* The demo's bug: a missing ';' that gcc reports (scripts/demo). */
#include <stdio.h>

int main(void)
{
    puts("Hello from a build fixed in nix-build-shell!")
    return 0;
}
