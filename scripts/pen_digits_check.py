#!/usr/bin/env python3
"""Real pen-written digits, checked two ways against one model.

1. The HTTP path and the in-process path answer drawing for drawing alike: the first --http-count drawings of
   dev.json are drawn on the canvas by the replay protocol of replay_http.py (its own on_canvas function, read
   from that file) and sent to a running `digits serve`; `digits evaluate --drawings` reads the same drawings
   in process. Every digit must match, and every probability to 1e-6.
2. The model reads a fixed 1,000-drawing subset of dev.json (entries ⌊i · 7953 / 1000⌋, i = 0…999) at or
   above --min-accuracy, so a regression fails loudly.

Usage: pen_digits_check.py --digits BIN --model FILE --pen-digits DIR [--http-count 300] [--min-accuracy 0.97]
"""
import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request


def replay_on_canvas(pen_digits_dir):
    """The on_canvas function of replay_http.py, taken from its source so both sides use one protocol."""
    source = open(os.path.join(pen_digits_dir, "replay_http.py")).read()
    tree = ast.parse(source)
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "on_canvas")
    namespace = {}
    exec(compile(ast.Module(body=[function], type_ignores=[]), "replay_http.py", "exec"), namespace)
    return namespace["on_canvas"]


def start_server(digits, model, directory):
    process = subprocess.Popen(
        [digits, "serve", "--model", model, "--port", "0", "--database", os.path.join(directory, "studio.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if line.startswith("digits studio: "):
            return process, line.split(": ", 1)[1].strip().rstrip("/")
        if process.poll() is not None:
            break
    process.kill()
    sys.exit("the studio did not start within 60 s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--digits", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--pen-digits", required=True)
    parser.add_argument("--http-count", type=int, default=300)
    parser.add_argument("--min-accuracy", type=float, default=0.97)
    args = parser.parse_args()

    drawings = json.load(open(os.path.join(args.pen_digits, "dev.json")))
    on_canvas = replay_on_canvas(args.pen_digits)
    with tempfile.TemporaryDirectory() as directory:
        head = drawings[:args.http_count]
        head_path = os.path.join(directory, "head.json")
        json.dump(head, open(head_path, "w"))
        in_process = json.loads(subprocess.run(
            [args.digits, "evaluate", "--model", args.model, "--drawings", head_path, "--json", "--with-probabilities"],
            check=True, capture_output=True, text=True).stdout)

        server, url = start_server(args.digits, args.model, directory)
        try:
            mismatches = []
            for index, drawing in enumerate(head):
                body = json.dumps({"width": 280, "height": 280, "strokes": on_canvas(drawing["strokes"])}).encode()
                request = urllib.request.Request(url + "/api/predict", body, {"content-type": "application/json"})
                answer = json.load(urllib.request.urlopen(request, timeout=10))
                mine = in_process["probabilities"][index]
                same_digit = answer["digit"] == in_process["predictions"][index]
                same_probabilities = (answer["probabilities"] is None and mine is None) or (
                    answer["probabilities"] is not None and mine is not None
                    and max(abs(a - b) for a, b in zip(answer["probabilities"], mine)) <= 1e-6)
                if not (same_digit and same_probabilities):
                    mismatches.append((index, answer["digit"], in_process["predictions"][index]))
        finally:
            server.terminate()
            server.wait(timeout=10)
        if mismatches:
            sys.exit(f"HTTP and in-process readings differ on {len(mismatches)} of {len(head)} drawings "
                     f"(entry, HTTP digit, in-process digit): {mismatches[:10]}")
        print(f"HTTP and in-process readings agree on all {len(head)} drawings (digits and probabilities)")

        subset = [drawings[i * len(drawings) // 1000] for i in range(1000)]
        subset_path = os.path.join(directory, "subset.json")
        json.dump(subset, open(subset_path, "w"))
        result = json.loads(subprocess.run(
            [args.digits, "evaluate", "--model", args.model, "--drawings", subset_path, "--json"],
            check=True, capture_output=True, text=True).stdout)
        accuracy = result["accuracy"]
        print(f"fixed subset: {accuracy:.4f} on {result['count']} drawings (threshold {args.min_accuracy})")
        if result["count"] != len(subset) or accuracy < args.min_accuracy:
            sys.exit(f"the model reads the fixed 1,000-drawing subset at {accuracy:.4f}, below {args.min_accuracy}")


if __name__ == "__main__":
    main()
