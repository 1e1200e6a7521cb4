#!/usr/bin/env python3
"""bench_numpy_gemm.py — NumPy (OpenBLAS) GFLOP/s on the shapes `digits-bench gemm` measures.

Usage: OPENBLAS_NUM_THREADS=1 scripts/bench_numpy_gemm.py   (and again with 2)
Prints one line per shape: name, threads, GFLOP/s (best of repeated runs over ~0.5 s), as digits-bench does.
"""
import os, time
import numpy as np

shapes = [  # name, M, K, N, transpose A, transpose B — the same list as Sources/Benchmarks/main.swift
    ("128×784×128 A·Bᵀ (forward)", 128, 784, 128, False, True),
    ("128×128×64 A·Bᵀ (forward)", 128, 128, 64, False, True),
    ("784×128×128 Aᵀ·B (weight grad)", 784, 128, 128, True, False),
    ("64×784×128 A·Bᵀ (batch 64)", 64, 784, 128, False, True),
    ("128×64×784 Aᵀ·B (batch 64 grad)", 128, 64, 784, True, False),
    ("512×512×512 A·B", 512, 512, 512, False, False),
]
threads = os.environ.get("OPENBLAS_NUM_THREADS", "?")
rng = np.random.default_rng(1)
for name, m, k, n, ta, tb in shapes:
    a = rng.random((k, m) if ta else (m, k), dtype=np.float32) - 0.5
    b = rng.random((n, k) if tb else (k, n), dtype=np.float32) - 0.5
    opa, opb = (a.T if ta else a), (b.T if tb else b)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(opa, opb, out=c)
    best, start, calls = float("inf"), time.perf_counter(), 0
    while time.perf_counter() - start < 0.5 or calls < 5:
        t0 = time.perf_counter()
        np.matmul(opa, opb, out=c)
        best = min(best, time.perf_counter() - t0)
        calls += 1
    print(f"{name:32s}  {threads}      {2 * m * n * k / best / 1e9:.1f}")
