// cpu_features.h — which vector instructions this CPU (and its operating system) can run, asked once at
// start so that `digits` picks the widest kernels that work here.

#ifndef DIGITS_CPU_FEATURES_H
#define DIGITS_CPU_FEATURES_H

/// 1 when the CPU runs AVX2 and FMA (256-bit vectors, fused multiply-add), else 0 (always 0 off x86-64).
int digits_cpu_has_avx2_fma(void);

/// 1 when the CPU runs AVX-512 F and VL (512-bit vectors) and the OS saves their registers, else 0.
int digits_cpu_has_avx512(void);

/// Writes the CPU's brand string (e.g. "AMD EPYC 9R45", from CPUID) into `buffer` (at most `size` bytes,
/// NUL-terminated); writes "" where CPUID has none or off x86-64.
void digits_cpu_brand(char *buffer, int size);

#endif
