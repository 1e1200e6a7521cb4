#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...] — fuzz the file parsers with libFuzzer + AddressSanitizer.
#
# Targets: idx csv safetensors png pgm (default: all). SECONDS_PER_TARGET defaults to 60.
# Builds each harness in fuzz/ together with the parser sources straight through swiftc
# (-sanitize=fuzzer,address), seeds a corpus with tiny valid files generated here (python3 stdlib; never
# the real MNIST data), runs each fuzzer in turn and prints executions, exec/s and findings.
#
# Binaries, seeds and the growing corpora live under .build-fuzz/; crash/timeout/OOM inputs are written to
# fuzz/out/TARGET/. Exits 1 when any fuzzer found a crash, 2 on a usage or build error.
# Environment: FUZZ_JOBS_FLAGS (extra libFuzzer flags), SWIFTC (compiler, default swiftc).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SWIFTC=${SWIFTC:-swiftc}
ALL_TARGETS=(idx csv safetensors png pgm)

SECONDS_PER_TARGET=${1:-60}
if ! [[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]] || (( SECONDS_PER_TARGET < 1 )); then
    echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (targets: ${ALL_TARGETS[*]})" >&2
    exit 2
fi
shift || true
TARGETS=("$@")
(( ${#TARGETS[@]} )) || TARGETS=("${ALL_TARGETS[@]}")

harness() {  # target -> harness file
    case $1 in
        idx) echo fuzz/FuzzIDX.swift ;; csv) echo fuzz/FuzzCSV.swift ;;
        safetensors) echo fuzz/FuzzSafeTensors.swift ;; png) echo fuzz/FuzzPNG.swift ;; pgm) echo fuzz/FuzzPGM.swift ;;
        *) return 1 ;;
    esac
}
max_len() {  # sensible input caps: room for every header field and a few rows / chunks
    case $1 in
        idx) echo 4096 ;; csv) echo 16384 ;; safetensors) echo 4096 ;; png) echo 8192 ;; pgm) echo 4096 ;;
    esac
}
for target in "${TARGETS[@]}"; do
    harness "$target" >/dev/null || { echo "fuzz.sh: unknown target '$target' (known: ${ALL_TARGETS[*]})" >&2; exit 2; }
done

WORK=.build-fuzz
OBJ=$WORK/obj
mkdir -p "$OBJ" "$WORK/bin" "$WORK/seeds" "$WORK/corpus" "$WORK/dict" "$WORK/logs"
FLAGS=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 5 -num-threads 0 -I "$OBJ" -I Sources/CZlib)

# ---------------------------------------------------------------------------------------------- build
# Three small modules, as SwiftPM would build them, but only the files the parsers need.
DIGIT_IMAGE_SOURCES=(Sources/DigitImage/GrayImage.swift)
NEURAL_NETWORK_SOURCES=(Sources/NeuralNetwork/LabeledImages.swift)
DIGITS_FILES_SOURCES=(Sources/DigitsFiles/{IDXFile,CSVDataset,SafeTensors,PNGDecoder,PGMDecoder,ImageFile,AtomicFile,Zlib}.swift)

stale() {  # output inputs... : true when output is missing or older than an input
    local output=$1 input; shift
    [[ -f $output ]] || return 0
    for input in "$@"; do [[ $input -nt $output ]] && return 0; done
    return 1
}
BUILT=()  # modules built so far (later ones depend on them)
build_module() {  # name sources...
    local name=$1; shift
    local object=$OBJ/$name.o
    if ! stale "$object" "$@" scripts/fuzz.sh "${BUILT[@]}"; then BUILT+=("$object"); return; fi
    echo "==> compiling module $name (${#@} files)"
    "$SWIFTC" "${FLAGS[@]}" -wmo -module-name "$name" -emit-module -emit-module-path "$OBJ/$name.swiftmodule" \
        -c "$@" -o "$object"
    BUILT+=("$object")
}
build_module DigitImage "${DIGIT_IMAGE_SOURCES[@]}"
build_module NeuralNetwork "${NEURAL_NETWORK_SOURCES[@]}"
build_module DigitsFiles "${DIGITS_FILES_SOURCES[@]}"
OBJECTS=("$OBJ/DigitImage.o" "$OBJ/NeuralNetwork.o" "$OBJ/DigitsFiles.o")

for target in "${TARGETS[@]}"; do
    source=$(harness "$target")
    binary=$WORK/bin/fuzz-$target
    stale "$binary" "$source" "${OBJECTS[@]}" || continue
    echo "==> building $binary from $source"
    "$SWIFTC" "${FLAGS[@]}" -module-name "Fuzz_$target" "$source" "${OBJECTS[@]}" -lz -o "$binary" 2>&1 \
        | { grep -v "ld.gold: warning: Cannot export local symbol '__asan_" || true; }
done

# ---------------------------------------------------------------------------------------------- seeds
echo "==> generating seed inputs under $WORK/seeds"
rm -rf "$WORK/seeds"
python3 - "$WORK/seeds" "$WORK/dict" <<'PY'
import gzip, json, os, struct, sys, zlib

seeds, dicts = sys.argv[1], sys.argv[2]
def put(target, name, data):
    os.makedirs(os.path.join(seeds, target), exist_ok=True)
    with open(os.path.join(seeds, target, name), "wb") as f:
        f.write(data)

def gz(data):
    return gzip.compress(data, mtime=0)

# IDX: 00 00 08 RANK, big-endian UInt32 sizes, bytes.
def idx(shape, payload):
    return bytes([0, 0, 8, len(shape)]) + b"".join(struct.pack(">I", d) for d in shape) + bytes(payload)
put("idx", "labels", idx([5], [0, 1, 2, 3, 9]))
put("idx", "images", idx([2, 3, 3], range(18)))
put("idx", "mnist-shaped", idx([1, 28, 28], [(i * 7) % 256 for i in range(784)]))
put("idx", "empty", idx([0, 28, 28], []))
put("idx", "rank4", idx([1, 2, 1, 2], [1, 2, 3, 4]))
put("idx", "labels.gz", gz(idx([4], [3, 1, 4, 1])))
put("idx", "images.gz", gz(idx([2, 2, 2], range(8))))
put("idx", "float-type", bytes([0, 0, 0x0D, 1]) + struct.pack(">I", 1) + b"\0\0\0\0")

# CSV: label,p0,...  (harness reads both 28x28 and 2x2 rows)
put("csv", "2x2", b"3,0,255,12,7\n9,1,2,3,4\n")
put("csv", "2x2-header-crlf", b"label,1x1,1x2,2x1,2x2\r\n0, 0 ,\t1,2,3\r\n\r\n5,9,8,7,6")
put("csv", "2x2-bom", b"\xef\xbb\xbf1,1,1,1,1\n")
put("csv", "2x2.gz", gz(b"label,a,b,c,d\n2,10,20,30,40\n"))
row = ",".join(["7"] + [str((i * 13) % 256) for i in range(784)])
header = ",".join(["label"] + [f"{r}x{c}" for r in range(1, 29) for c in range(1, 29)])
put("csv", "28x28", (header + "\n" + row + "\n").encode())
put("csv", "bad-pixel", b"1,256,0,0,0\n")

# safetensors: UInt64 LE header length, JSON header, F32 little-endian data.
def st(tensors, metadata=None, pad=True):
    header, data, offset = {}, b"", 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (shape, values) in sorted(tensors.items()):
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        data += blob
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data
put("safetensors", "two-tensors", st({"w": ([2, 3], [0.5, -1, 2, 3.25, 0, 1e-3]), "b": ([3], [1, 2, 3])},
                                     {"format": "digits-model-1", "epochs": "3"}))
put("safetensors", "scalar", st({"s": ([], [42.0])}))
put("safetensors", "empty-tensor", st({"e": ([0, 4], [])}, {}))
put("safetensors", "empty", st({}))
put("safetensors", "metadata-only", st({}, {"k": "v\n\"q\" \\u00e9 \u00e9"}, pad=False))
put("safetensors", "f16", struct.pack("<Q", 58) + b'{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}    ' + b"\0\0")

# PNG: valid files of each colour type; the harness also reads non-PNG inputs as a build-a-PNG recipe.
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
def png(width, height, depth, colour, rows, interlace=0, extra=b""):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
            + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))
put("png", "gray8", png(3, 2, 8, 0, [0, 0, 128, 255, 1, 10, 20, 30]))
put("png", "gray1", png(9, 2, 1, 0, [0, 0xA5, 0x80, 4, 0xFF, 0x00]))
put("png", "gray16-trns", png(2, 1, 16, 0, [0, 0, 0, 0xFF, 0xFF], extra=chunk(b"tRNS", b"\0\0")))
put("png", "rgb8-paeth", png(2, 2, 8, 2, [1, 255, 0, 0, 0, 255, 0, 4, 0, 0, 255, 9, 9, 9]))
put("png", "palette4-trns", png(3, 1, 4, 3, [0, 0x01, 0x20],
                                 extra=chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 255, 90, 20, 200])) + chunk(b"tRNS", b"\xff\x00")))
put("png", "gray-alpha8-avg", png(2, 2, 8, 4, [3, 10, 255, 20, 128, 2, 1, 1, 1, 1]))
put("png", "rgba16", png(1, 1, 16, 6, [0] + [0x12, 0x34] * 4))
inter = []
for (x0, y0, dx, dy) in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
    w = (5 - x0 + dx - 1) // dx if 5 > x0 else 0
    h = (5 - y0 + dy - 1) // dy if 5 > y0 else 0
    for r in range(h if w else 0):
        inter += [r % 5] + [(x0 * 31 + r * 17 + i) % 256 for i in range(w)]
put("png", "gray8-adam7", png(5, 5, 8, 0, inter, interlace=1))
put("png", "ancillary", png(1, 1, 8, 0, [0, 77], extra=chunk(b"tEXt", b"Comment\0hi") + chunk(b"gAMA", b"\0\0\xb1\x8f")))
# recipes: [w-1, h-1, depth/colour selector, interlace|flags, palette entries, tRNS size] + scanlines
put("png", "recipe-gray", bytes([7, 3, 3, 0, 0, 0]) + bytes([0, 1, 2, 3, 4, 5, 6, 7, 8]))
put("png", "recipe-palette-adam7", bytes([12, 9, 9, 1, 4, 3]) + bytes(range(0, 200, 3)))
put("png", "recipe-rgba16", bytes([2, 2, 14, 0, 0, 0]) + bytes([4] + list(range(48))))
put("png", "recipe-raw-length", bytes([0, 0, 5, 0x80, 0, 6]) + bytes([0, 1, 2]))

# PGM: P5 (8 and 16 bit) and P2 with comments.
put("pgm", "p5", b"P5\n3 2\n255\n" + bytes([0, 128, 255, 1, 2, 3]))
put("pgm", "p5-16", b"P5 2 1 65535 " + bytes([0xFF, 0xFF, 0x12, 0x34]))
put("pgm", "p2", b"P2\n# a comment\n3 2\n# another\n15\n0 5 10\n15 3 7\n")
put("pgm", "p2-cr", b"P2\r2 2\r1\r0 1\r1 0")

dictionaries = {
    "idx": [b"\x00\x00\x08\x01", b"\x00\x00\x08\x03", b"\x1f\x8b\x08\x00", b"\x00\x00\x00\x1c", b"\xff\xff\xff\xff"],
    "csv": [b"label", b",", b"\r\n", b"\xef\xbb\xbf", b"255", b"256", b"-1", b"\x1f\x8b\x08\x00", b"1x1"],
    "safetensors": [b'"dtype"', b'"F32"', b'"F16"', b'"shape"', b'"data_offsets"', b'"__metadata__"',
                    b"[0,4]", b"[]", b"null", b"true", b"1e400", b"18446744073709551615", b"-1", b"\\u0000", b"{}"],
    "png": [b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"tEXt", b"\x89PNG\r\n\x1a\n", b"\x78\x9c", b"\x00\x00\x00\x0d",
            b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff"],
    "pgm": [b"P5", b"P2", b"#", b"255", b"65535", b"16384", b"\r\n"],
}
os.makedirs(dicts, exist_ok=True)
for target, tokens in dictionaries.items():
    with open(os.path.join(dicts, target + ".dict"), "w") as f:
        for token in tokens:
            f.write('"' + "".join(chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else "\\x%02x" % b for b in token) + '"\n')
PY

# ---------------------------------------------------------------------------------------------- run
status=0
summary=()
for target in "${TARGETS[@]}"; do
    out=fuzz/out/$target
    corpus=$WORK/corpus/$target
    log=$WORK/logs/$target.log
    mkdir -p "$out" "$corpus"
    echo "==> fuzzing $target for ${SECONDS_PER_TARGET}s (max_len $(max_len "$target"); log $log; findings -> $out/)"
    set +e
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0} \
    "$WORK/bin/fuzz-$target" "$corpus" "$WORK/seeds/$target" \
        -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 -max_total_time="$SECONDS_PER_TARGET" \
        -dict="$WORK/dict/$target.dict" -artifact_prefix="$out/" -print_final_stats=1 ${FUZZ_EXTRA_FLAGS:-} \
        >"$log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    units=$(ls "$corpus" | wc -l)
    if (( rc != 0 )); then
        status=1
        found=$(grep -E '^(==[0-9]+==ERROR|Fatal error|.*SUMMARY|.*Test unit written to|.*ERROR: libFuzzer)' "$log" | head -5)
        echo "!!! $target: fuzzer exited with $rc"
        echo "$found" | sed 's/^/    /'
        echo "    reproduce: $WORK/bin/fuzz-$target FILE    minimize: $WORK/bin/fuzz-$target -minimize_crash=1 -runs=20000 FILE"
        summary+=("$(printf '%-12s %6ss %12s execs %8s exec/s  cov %-5s corpus %-5s FOUND (exit %s)' "$target" "$SECONDS_PER_TARGET" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$units" "$rc")")
    else
        echo "    ok: ${runs:-?} executions, ${speed:-?} exec/s, coverage ${cov:-?}, corpus $units files"
        summary+=("$(printf '%-12s %6ss %12s execs %8s exec/s  cov %-5s corpus %-5s ok' "$target" "$SECONDS_PER_TARGET" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$units")")
    fi
done

echo
echo "==> summary"
printf '%s\n' "${summary[@]}" | tee "$WORK/summary.txt"
if (( status != 0 )); then echo "fuzzing found problems: see fuzz/out/ and $WORK/logs/"; fi
exit $status
