#!/usr/bin/env python3
"""load_model_numpy.py — rebuild a digits model in NumPy from its safetensors file and measure it.

Usage: scripts/load_model_numpy.py MODEL.safetensors [MNIST_DIR] [--expect ACCURACY]

Reads the tensors and the `__metadata__` (architecture, normalization) with the reference `safetensors`
library, runs the MNIST test set through the network in NumPy, and prints the accuracy. With --expect it
exits non-zero unless the accuracy matches (to 1e-4) — CI uses this to prove the files are readable from
Python exactly as digits reads them. Needs: pip install safetensors numpy.
"""
import gzip, json, os, sys

import numpy as np
from safetensors import safe_open


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def conv2d(x, weight, bias, stride, padding):
    """x [B, C, H, W] ⋆ weight [O, C, k, k] (cross-correlation, like PyTorch's Conv2d) + bias [O]."""
    b, c, h, w = x.shape
    o, _, k, _ = weight.shape
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out_h, out_w = (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1
    y = np.zeros((b, o, out_h, out_w), dtype=np.float32)
    for u in range(k):
        for v in range(k):
            patch = x[:, :, u:u + stride * out_h:stride, v:v + stride * out_w:stride]   # [B, C, H', W']
            y += np.einsum("bchw,oc->bohw", patch, weight[:, :, u, v], optimize=True)
    return y + bias[None, :, None, None]


def maxpool2d(x, k, stride):
    b, c, h, w = x.shape
    out_h, out_w = (h - k) // stride + 1, (w - k) // stride + 1
    y = np.full((b, c, out_h, out_w), -np.inf, dtype=np.float32)
    for u in range(k):
        for v in range(k):
            y = np.maximum(y, x[:, :, u:u + stride * out_h:stride, v:v + stride * out_w:stride])
    return y


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    expect = float(argv[argv.index("--expect") + 1]) if "--expect" in argv else None
    if expect is not None:
        args.remove(argv[argv.index("--expect") + 1])
    if not args:
        print(__doc__.strip())
        return 2
    model = args[0]
    data = args[1] if len(args) > 1 else os.environ.get("DIGITS_DATA", "../shared/data/mnist")
    with safe_open(model, framework="numpy") as f:
        meta = f.metadata()
        tensors = {name: f.get_tensor(name) for name in f.keys()}
    assert meta["format"] in ("digits-model", "digits-checkpoint"), meta["format"]
    architecture = json.loads(meta["architecture"])
    norm = json.loads(meta["normalization"])
    x = idx(f"{data}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    y = idx(f"{data}/t10k-labels-idx1-ubyte.gz")
    x = (x - norm["mean"]) / norm["std"]
    x = x.astype(np.float32)
    for i, layer in enumerate(architecture["layers"]):
        if layer["type"] == "dense":
            x = x @ tensors[f"layers.{i}.weight"].T + tensors[f"layers.{i}.bias"]   # PyTorch layout: weight [out, in]
        elif layer["type"] == "relu":
            x = np.maximum(x, 0)
        elif layer["type"] == "dropout":
            pass                                                                  # identity at inference
        elif layer["type"] == "conv2d":
            x = x.reshape(-1, layer["in_channels"], layer["height"], layer["width"])
            x = conv2d(x, tensors[f"layers.{i}.weight"], tensors[f"layers.{i}.bias"], layer["stride"], layer["padding"])
        elif layer["type"] == "maxpool2d":
            x = maxpool2d(x.reshape(-1, layer["channels"], layer["height"], layer["width"]), layer["kernel"], layer["stride"])
        elif layer["type"] == "batchnorm":
            shape = (-1, layer["channels"], layer["height"], layer["width"])
            mean, var = tensors[f"layers.{i}.running_mean"], tensors[f"layers.{i}.running_var"]
            scale = tensors[f"layers.{i}.weight"] / np.sqrt(var + 1e-5)
            x = (x.reshape(shape) - mean[None, :, None, None]) * scale[None, :, None, None] + tensors[f"layers.{i}.bias"][None, :, None, None]
        elif layer["type"] == "flatten":
            x = x.reshape(x.shape[0], -1)
        else:
            raise SystemExit(f"unknown layer type {layer['type']}")
    accuracy = float((x.reshape(x.shape[0], -1).argmax(axis=1) == y).mean())
    print(json.dumps({"model": model, "layers": [l["type"] for l in architecture["layers"]], "accuracy": accuracy}))
    if expect is not None and abs(accuracy - expect) > 1e-4:
        print(f"error: NumPy accuracy {accuracy} differs from digits' {expect}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
