#!/usr/bin/env python3
"""The `digits` binary runs on any x86-64 CPU: the proof, in two parts.

1. Only the kernel-family targets (KernelsAVX2, KernelsAVX512) hold AVX instructions. Every other module of
   the release build — NeuralNetwork, the loops they share (KernelLoops), the portable family, the commands,
   the studio — is disassembled, and any VEX- or EVEX-encoded instruction (a mnemonic starting with "v")
   fails the check, naming the function.
2. Where qemu-x86_64 is installed (Debian: qemu-user), `digits` runs on an emulated CPU without AVX (Nehalem):
   it must pick the portable kernels, train a small network to the same bits as the native run on this CPU
   (which uses its widest family), and read images to the same probabilities.

Usage: python3 scripts/check_portable_build.py   (after `swift build -c release`; needs objdump)
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build" / "release"
# Targets compiled with vector flags on purpose: each runs only when the CPU has its instructions.
FLAGGED = {"KernelsAVX2", "KernelsAVX512"}
CHECKED = ["NeuralNetwork", "KernelLoops", "KernelsPortable", "DigitImage", "DigitsFiles", "DigitsReport",
           "FeedbackStore", "DigitsStudio", "DigitsCommands", "digits", "Benchmarks"]


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def vector_instructions(module):
    """(function, instruction) for every VEX/EVEX instruction in the module's objects of current sources."""
    found = []
    sources = sorted((ROOT / "Sources" / module).rglob("*.swift"))
    if not sources:
        fail(f"no Swift sources for {module}")
    for source in sources:
        obj = BUILD / f"{module}.build" / f"{source.name}.o"
        if not obj.exists():
            fail(f"{obj} is missing: run `swift build -c release` first")
        listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(obj)], capture_output=True, text=True, check=True).stdout
        function = "?"
        for line in listing.splitlines():
            if line.endswith(">:"):
                function = line.split("<", 1)[1][:-2]
            parts = line.split("\t")
            if len(parts) >= 2 and parts[1].startswith("v") and not parts[1].startswith(("verr", "verw")):
                found.append((function, parts[1].strip()))
    return found


def safetensors_data(path):
    """The tensor bytes of a safetensors file (its metadata holds timings, which differ from run to run)."""
    raw = Path(path).read_bytes()
    header_size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + header_size])
    header.pop("__metadata__", None)
    return header, raw[8 + header_size:]


def tiny_mnist(folder):
    """The first 512 training and 200 test images of MNIST as IDX files, so that an emulated run takes seconds."""
    source = Path(os.environ.get("DIGITS_DATA", ROOT.parent / "shared" / "data" / "mnist"))
    for name, count, is_images in [("train-images-idx3-ubyte.gz", 512, True), ("train-labels-idx1-ubyte.gz", 512, False),
                                   ("t10k-images-idx3-ubyte.gz", 200, True), ("t10k-labels-idx1-ubyte.gz", 200, False)]:
        data = gzip.open(source / name).read()
        if is_images:
            content = struct.pack(">IIII", 2051, count, 28, 28) + data[16:16 + count * 784]
        else:
            content = struct.pack(">II", 2049, count) + data[8:8 + count]
        with gzip.open(Path(folder) / name, "wb") as out:
            out.write(content)
    images = gzip.open(source / "t10k-images-idx3-ubyte.gz").read()[16:]
    paths = []
    for k in range(3):
        path = Path(folder) / f"test{k}.pgm"
        path.write_bytes(b"P5\n28 28\n255\n" + bytes(images[k * 784:(k + 1) * 784]))
        paths.append(str(path))
    return paths


def main():
    if shutil.which("objdump") is None:
        fail("objdump is missing (Debian: binutils)")
    offenders = 0
    for module in CHECKED:
        found = vector_instructions(module)
        offenders += len(found)
        print(f"{module}: {len(found)} AVX instructions" + ("" if not found else f", e.g. {found[0][1]} in {found[0][0]}"))
    if offenders:
        fail("AVX instructions outside the kernel-family targets: this binary would die with an illegal instruction on a CPU without AVX")
    print(f"ok: AVX instructions only in {', '.join(sorted(FLAGGED))}")

    qemu = shutil.which("qemu-x86_64")
    if qemu is None:
        print("skipped: the emulated run (qemu-x86_64 not installed; Debian: qemu-user)")
        return
    with tempfile.TemporaryDirectory() as folder:
        images = tiny_mnist(folder)
        digits = str(BUILD / "digits")
        train = ["train", "--preset", "default", "--architecture", "conv8k3-relu-conv8k3-relu-maxpool2-flatten-dense10",
                 "--epochs", "1", "--augment", "none", "--non-digits", "0", "--threads", "1", "--data", folder]
        native_model, emulated_model = f"{folder}/native.safetensors", f"{folder}/emulated.safetensors"
        subprocess.run([digits, *train, "--output", native_model], capture_output=True, text=True, check=True)
        emulated = subprocess.run([qemu, "-cpu", "Nehalem", digits, *train, "--output", emulated_model],
                                  capture_output=True, text=True, timeout=300)
        print(emulated.stderr.strip().splitlines()[1] if emulated.stderr.count("\n") > 1 else emulated.stderr.strip())
        if emulated.returncode != 0:
            fail(f"digits train on an emulated Nehalem (no AVX) exited with {emulated.returncode}: {emulated.stderr[-600:]}")
        if "portable kernels" not in emulated.stderr:
            fail("digits on an emulated Nehalem did not say it used the portable kernels")
        if safetensors_data(native_model) != safetensors_data(emulated_model):
            fail("the model trained on the emulated CPU (portable kernels) differs from the native one")
        print("ok: trained on an emulated Nehalem (no AVX) with the portable kernels, the same weights bit for bit as natively")
        predict = ["predict", "--json", "--model", native_model, *images]
        native = subprocess.run([digits, *predict], capture_output=True, text=True, check=True).stdout
        emulated = subprocess.run([qemu, "-cpu", "Nehalem", digits, *predict], capture_output=True, text=True, timeout=120)
        if emulated.returncode != 0 or emulated.stdout != native:
            fail(f"digits predict on the emulated CPU answered differently: {emulated.stdout[:300]} {emulated.stderr[-300:]}")
        print(f"ok: {len(images)} images read on the emulated CPU with the same probabilities as natively")


if __name__ == "__main__":
    main()
