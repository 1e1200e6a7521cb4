#!/usr/bin/env python3
"""CI check of `digits export --format onnx`: the exported file passes onnx.checker, and onnxruntime's
probabilities on the first 1,000 MNIST test images equal digits' own (largest absolute difference ≤ 1e-5,
the same argmax everywhere). Bad input to the export gets a one-line error and leaves no file.

usage: onnx_check.py --digits .build/release/digits --model MODEL [--model MODEL ...] --data MNIST_DIR
Needs: pip install onnx onnxruntime numpy
"""
import argparse, gzip, json, os, subprocess, sys, tempfile

import numpy as np
import onnx
import onnxruntime


def mnist_test_images(directory, count):
    with gzip.open(os.path.join(directory, "t10k-images-idx3-ubyte.gz")) as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=16)[: count * 784].reshape(count, 1, 28, 28).astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model", action="append", required=True)
    parser.add_argument("--data", default=os.environ.get("DIGITS_DATA"))
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    images = mnist_test_images(args.data, args.count)
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for model in args.model:
            path = os.path.join(work, os.path.basename(model) + ".onnx")
            run = subprocess.run([args.digits, "export", model, "--format", "onnx", "--output", path], capture_output=True, text=True)
            if run.returncode != 0:
                print(f"FAILED: export of {model}: {run.stderr.strip()}")
                failures += 1
                continue
            onnx.checker.check_model(onnx.load(path), full_check=True)
            ours = subprocess.run([args.digits, "evaluate", "--model", model, "--json", "--with-probabilities", "--data", args.data],
                                  capture_output=True, text=True)
            expected = np.array(json.loads(ours.stdout.strip().splitlines()[-1])["probabilities"][: args.count], dtype=np.float64)
            got = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"image": images})[0].astype(np.float64)
            difference = float(np.abs(got - expected).max())
            same = int((got.argmax(1) == expected.argmax(1)).sum())
            ok = difference <= 1e-5 and same == args.count
            failures += not ok
            print(f"{'ok' if ok else 'FAILED'}: {os.path.basename(model)}: onnx.checker passes; onnxruntime against digits on {args.count} "
                  f"MNIST test images: largest difference {difference:.2e}, same digit on {same}")
        # Bad input: one line, non-zero exit, no file.
        for arguments, fragment in [(["--format", "tflite"], "--format tflite is not known"),
                                    (["--format", "onnx"], "")]:
            target = os.path.join(work, "bad.onnx")
            model = args.model[0] if fragment else os.path.join(work, "missing.safetensors")
            run = subprocess.run([args.digits, "export", model, *arguments, "--output", target], capture_output=True, text=True)
            ok = run.returncode != 0 and not os.path.exists(target) and len(run.stderr.strip().splitlines()) <= 2 and fragment in run.stderr
            failures += not ok
            print(f"{'ok' if ok else 'FAILED'}: bad export ({' '.join(arguments)} {os.path.basename(model)}) refused: {run.stderr.strip()[:160]}")
        run = subprocess.run([args.digits, "export", args.model[0], "--output", "/proc/forbidden/x.onnx"], capture_output=True, text=True)
        ok = run.returncode != 0
        failures += not ok
        print(f"{'ok' if ok else 'FAILED'}: an output path that cannot be written is refused: {run.stderr.strip()[:160]}")
    if failures:
        sys.exit(f"{failures} ONNX checks failed")
    print("all ONNX checks passed")


if __name__ == "__main__":
    main()
