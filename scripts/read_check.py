#!/usr/bin/env python3
"""CI check of whole numbers and "not a digit" with a freshly trained default model: numbers of 4 digits
composed from the writers of pen-digits/dev.json are read above a threshold, and the letters and symbols of
nondigits-dev.json are rejected above another while few real digits are.

usage: read_check.py --digits .build/release/digits --model MODEL --pen-digits DIR
                     [--min-exact 0.935] [--min-digit-accuracy 0.98] [--min-rejection 0.78] [--max-digit-rejection 0.005]
"""
import argparse, json, os, subprocess, sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model", required=True)
    parser.add_argument("--pen-digits", default=os.environ.get("DIGITS_PEN_DIGITS"))
    parser.add_argument("--min-exact", type=float, default=0.935)
    parser.add_argument("--min-digit-accuracy", type=float, default=0.98)
    parser.add_argument("--min-rejection", type=float, default=0.78)
    parser.add_argument("--max-digit-rejection", type=float, default=0.005)
    args = parser.parse_args()
    command = [args.digits, "evaluate", "--model", args.model, "--json", "--drawings", os.path.join(args.pen_digits, "dev.json"),
               "--numbers", "4", "--non-digits", os.path.join(args.pen_digits, "nondigits-dev.json")]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {result.stderr.strip()[-500:]}")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    numbers, rejection = answer["numbers"], answer["non_digits"]
    digit_rejection = answer["rejected"] / answer["count"]
    checks = [
        (numbers["exact"] >= args.min_exact, f"4-digit numbers read exactly: {numbers['exact']:.4f} (at least {args.min_exact})"),
        (numbers["digit_accuracy"] >= args.min_digit_accuracy,
         f"digit accuracy within numbers: {numbers['digit_accuracy']:.4f} (at least {args.min_digit_accuracy}; one by one {numbers['one_by_one_accuracy']:.4f})"),
        (rejection["rejection_rate"] >= args.min_rejection,
         f"letters and symbols rejected: {rejection['rejection_rate']:.4f} (at least {args.min_rejection})"),
        (digit_rejection <= args.max_digit_rejection, f"real digits rejected: {digit_rejection:.4f} (at most {args.max_digit_rejection})"),
    ]
    for ok, line in checks:
        print(("ok: " if ok else "FAILED: ") + line)
    if not all(ok for ok, _ in checks):
        sys.exit(1)
    print(f"numbers read at {numbers['milliseconds_per_number']:.2f} ms each on one thread")


if __name__ == "__main__":
    main()
