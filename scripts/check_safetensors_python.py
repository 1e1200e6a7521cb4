#!/usr/bin/env python3
"""check_safetensors_python.py — load a safetensors file with the reference Python library.

Usage: scripts/check_safetensors_python.py FILE
       scripts/check_safetensors_python.py --write OUT

Prints each tensor's name, dtype and shape (and the metadata), and exits non-zero if the reference
implementation rejects the file or a tensor is not finite float32. With --write OUT it also writes a small
reference file (tensors "b" 2x3 and "a" 4, metadata {"writer": "python"}) for the Swift side to read.
Needs: pip install safetensors numpy. Not part of the Swift test suite (tests stay Swift-only).
"""
import sys


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    try:
        import numpy as np
        from safetensors import safe_open
        from safetensors.numpy import load_file, save_file
    except ImportError as error:
        print(f"error: {error}; run `pip install safetensors numpy`", file=sys.stderr)
        return 2
    if argv[1] == "--write" and len(argv) == 3:
        save_file({"b": np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5, "a": np.array([1, 2, 3, 4], dtype=np.float32)},
                  argv[2], metadata={"writer": "python"})
        print(f"wrote {argv[2]}")
        return 0
    path = argv[1]
    try:
        tensors = load_file(path)
        with safe_open(path, framework="numpy") as handle:
            metadata = handle.metadata() or {}
    except Exception as error:  # the reference library's own validation message
        print(f"error: {path}: the reference safetensors library rejects the file: {error}", file=sys.stderr)
        return 1
    status = 0
    for name in sorted(tensors):
        array = tensors[name]
        print(f"{name}\t{array.dtype}\t{list(array.shape)}")
        if array.dtype != np.float32:
            print(f"error: {name}: expected float32, found {array.dtype}", file=sys.stderr)
            status = 1
        elif not np.all(np.isfinite(array)):
            print(f"error: {name}: holds NaN or infinity", file=sys.stderr)
            status = 1
    for key in sorted(metadata):
        print(f"metadata\t{key}\t{metadata[key]}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
