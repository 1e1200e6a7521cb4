// cpu_features.c — CPU feature detection with the compiler's own checks (__builtin_cpu_supports, which
// also asks the OS whether it saves the wide registers) and the brand string from CPUID.

#include "cpu_features.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int digits_cpu_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

int digits_cpu_has_avx512(void) {
    __builtin_cpu_init();
    return digits_cpu_has_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
}

void digits_cpu_brand(char *buffer, int size) {
    unsigned int registers[12] = {0};
    unsigned int highest = __get_cpuid_max(0x80000000u, 0);
    if (size <= 0) return;
    buffer[0] = 0;
    if (highest < 0x80000004u) return;
    for (unsigned int leaf = 0; leaf < 3; leaf++) {
        __get_cpuid(0x80000002u + leaf, &registers[4 * leaf], &registers[4 * leaf + 1], &registers[4 * leaf + 2], &registers[4 * leaf + 3]);
    }
    char brand[49];
    memcpy(brand, registers, 48);
    brand[48] = 0;
    // Trim the spaces CPUID pads with.
    char *start = brand;
    while (*start == ' ') start++;
    size_t length = strlen(start);
    while (length > 0 && start[length - 1] == ' ') start[--length] = 0;
    strncpy(buffer, start, (size_t)size - 1);
    buffer[size - 1] = 0;
}
#else
int digits_cpu_has_avx2_fma(void) { return 0; }
int digits_cpu_has_avx512(void) { return 0; }
void digits_cpu_brand(char *buffer, int size) { if (size > 0) buffer[0] = 0; }
#endif
