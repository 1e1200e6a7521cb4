// MatrixMultiplyKernel.swift — the packed, register-blocked SIMD multiply behind `MatrixMultiply.product`.
//
// The classic GotoBLAS/BLIS structure: for each block of K (kc ≤ 256), B is copied into panels 16 columns
// wide and A into panels 6 rows tall, both zero-padded, so the micro-kernel reads memory sequentially.
// When op(B) is row-major and its row stride spreads a panel's rows evenly over the L1 cache sets, the
// whole 16-column panels are read in place instead (only a last, narrower panel is copied): the copy
// would cost more than it saves. Both paths perform the same multiply-adds in the same order.
// The micro-kernel keeps a 6×16 tile of C in twelve 8-wide vector registers and performs 96 fused
// multiply-adds per step of k; each kernel family (KernelFamily.swift) has its own, compiled in its own target
// with its flags, and with AVX-512 also two panels at once as 6×32 tiles. All follow the same contract.

/// Rows of C per micro-tile.
let kernelRows = 6
/// Columns of C per micro-tile (two 8-float vectors).
let kernelColumns = 16
/// Depth of one packed block: a 6×256 A panel (6 KB) and a 256×16 B panel (16 KB) stay in L1.
let blockDepth = 256
/// Rows of A packed at once (~96 KB: stays in L2).
let blockRows = 96

/// One multiply, described with raw pointers. Element (i, p) of op(A) is at
/// `a[i * aRowStride + p]`, or `a[p * aRowStride + i]` when `aTransposed`; the same for B.
struct GEMMProblem: @unchecked Sendable {
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<Float>, aRowStride: Int, aTransposed: Bool
    let b: UnsafePointer<Float>, bRowStride: Int, bTransposed: Bool
    let c: UnsafeMutablePointer<Float>, cRowStride: Int
    let accumulate: Bool
    /// op(A) already packed by `packRows` (for k ≤ `blockDepth`), when the same A is multiplied many times:
    /// the multiply then reads its panels instead of packing A again.
    var packedA: UnsafePointer<Float>? = nil
    /// The micro-kernels that run (KernelFamily.swift); every family gives the same bits.
    var kernels: KernelFamily = .selected

    /// Floats that `packRows` writes for an [m, k] operand: m rounded up to whole 6-row panels, times k.
    static func packedRowsCount(m: Int, k: Int) -> Int { (m + kernelRows - 1) / kernelRows * kernelRows * k }

    /// Packs op(A) [m, k] (k ≤ `blockDepth`) once, in the panels that `compute` would make, for `packedA`.
    func packRows(into packed: UnsafeMutablePointer<Float>) {
        precondition(k <= blockDepth, "a pre-packed A must fit one block of depth")
        packA(into: packed, depthStart: 0, depth: k, rows: 0..<m)
    }

    /// Runs the multiply, split over the pool's threads when the problem is large enough to profit.
    func run(workers: WorkerThreads?) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * cRowStride).update(repeating: 0, count: n) } }
            return
        }
        let threads = workers?.threadCount ?? 1
        let flops = m * n * k
        // Below ~64K multiply-adds, waking a second thread costs more than it saves.
        guard threads > 1, flops >= 65_536, let workers else {
            compute(rows: 0..<m, columns: 0..<n, scratch: GEMMScratch.forCurrentThread())
            return
        }
        // Split C along its longer dimension, in whole micro-tiles, into `threads` nearly equal parts.
        let columnTiles = (n + kernelColumns - 1) / kernelColumns
        let rowTiles = (m + kernelRows - 1) / kernelRows
        let splitColumns = columnTiles >= threads && (columnTiles * kernelColumns >= rowTiles * kernelRows || rowTiles < threads)
        workers.run { part in
            let scratch = GEMMScratch.forCurrentThread()
            if splitColumns {
                let range = Self.partRange(tiles: columnTiles, tileSize: kernelColumns, limit: n, part: part, parts: threads)
                if !range.isEmpty { compute(rows: 0..<m, columns: range, scratch: scratch) }
            } else {
                let range = Self.partRange(tiles: rowTiles, tileSize: kernelRows, limit: m, part: part, parts: threads)
                if !range.isEmpty { compute(rows: range, columns: 0..<n, scratch: scratch) }
            }
        }
    }

    /// The element range of part `part` when `tiles` tiles are dealt out as evenly as possible.
    static func partRange(tiles: Int, tileSize: Int, limit: Int, part: Int, parts: Int) -> Range<Int> {
        let first = tiles * part / parts
        let last = tiles * (part + 1) / parts
        return min(first * tileSize, limit)..<min(last * tileSize, limit)
    }

    /// Computes C[rows, columns] on the calling thread.
    func compute(rows: Range<Int>, columns: Range<Int>, scratch: GEMMScratch) {
        precondition(packedA == nil || (k <= blockDepth && rows.lowerBound % kernelRows == 0))
        let width = columns.count
        let paddedWidth = (width + kernelColumns - 1) / kernelColumns * kernelColumns
        scratch.reserve(aCount: blockRows * blockDepth, bCount: paddedWidth * blockDepth)
        let packedA = scratch.a
        let packedB = scratch.b
        // Room for one 6×32 tile (two 16-float vectors per row), for the edges of C.
        let row = (SIMD16<Float>(), SIMD16<Float>())
        var tile = (row, row, row, row, row, row)
        let family = kernels
        // A row-major op(B) already holds each 16-column panel as rows of 16 contiguous values. When those rows
        // fall on different L1 sets, the kernel reads whole panels where they are stored (copying them costs
        // more than the kernel saves) and only a last, narrower panel is packed, with its zero padding.
        // Checked once for the deepest block: fewer rows never crowd a set more.
        let wholePanelsWidth = canReadPanelsInPlace(depth: min(k, blockDepth)) ? width / kernelColumns * kernelColumns : 0
        for depthStart in stride(from: 0, to: k, by: blockDepth) {
            let depth = min(blockDepth, k - depthStart)
            let addToC = accumulate || depthStart > 0
            if wholePanelsWidth < width {
                packB(into: packedB, depthStart: depthStart, depth: depth, columns: columns.lowerBound + wholePanelsWidth..<columns.upperBound)
            }
            for rowStart in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
                let rowCount = min(blockRows, rows.upperBound - rowStart)
                // Row blocks start on whole panels, so a pre-packed A's block begins at rowStart · depth.
                let aBlock = self.packedA.map { $0 + rowStart * depth } ?? UnsafePointer(packedA)
                if self.packedA == nil {
                    packA(into: packedA, depthStart: depthStart, depth: depth, rows: rowStart..<rowStart + rowCount)
                }
                // The B panel for the 16 columns from `columnTile`: read in place, or packed.
                @inline(__always) func panel(_ columnTile: Int) -> (UnsafePointer<Float>, Int) {
                    columnTile < wholePanelsWidth
                        ? (b + (depthStart * bRowStride + columns.lowerBound + columnTile), bRowStride)
                        : (UnsafePointer(packedB + (columnTile - wholePanelsWidth) * depth), kernelColumns)
                }
                var columnTile = 0
                while columnTile < width {
                    let (bPanel, bPanelRowStride) = panel(columnTile)
                    // AVX-512: two whole panels at once, 6×32 tiles (twelve 16-float accumulators).
                    if family == .avx512 && columnTile + 2 * kernelColumns <= width {
                        let (nextPanel, nextPanelRowStride) = panel(columnTile + kernelColumns)
                        for rowTile in stride(from: 0, to: rowCount, by: kernelRows) {
                            let aPanel = aBlock + rowTile * depth
                            let cTile = c + (rowStart + rowTile) * cRowStride + columns.lowerBound + columnTile
                            if rowCount - rowTile >= kernelRows {
                                avx512MicroKernel6x32(depth: depth, a: aPanel, b0: bPanel, b0RowStride: bPanelRowStride,
                                                      b1: nextPanel, b1RowStride: nextPanelRowStride, c: cTile, cRowStride: cRowStride, addToC: addToC)
                            } else {
                                // The last rows: a whole 6×32 tile into the buffer, then only the rows inside C.
                                withUnsafeMutableBytes(of: &tile) { raw in
                                    let buffer = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                                    avx512MicroKernel6x32(depth: depth, a: aPanel, b0: bPanel, b0RowStride: bPanelRowStride,
                                                          b1: nextPanel, b1RowStride: nextPanelRowStride, c: buffer, cRowStride: 2 * kernelColumns, addToC: false)
                                    storeRows(from: buffer, bufferRowStride: 2 * kernelColumns, into: cTile, height: rowCount - rowTile,
                                              width: 2 * kernelColumns, addToC: addToC)
                                }
                            }
                        }
                        columnTile += 2 * kernelColumns
                        continue
                    }
                    let tileWidth = min(kernelColumns, width - columnTile)
                    var rowTile = 0
                    while rowTile < rowCount {
                        defer { rowTile += kernelRows }
                        let tileHeight = min(kernelRows, rowCount - rowTile)
                        // AVX-512, a single whole panel: two row tiles at once (12×16), as many accumulators as 6×32.
                        if family == .avx512 && tileWidth == kernelColumns && rowTile + 2 * kernelRows <= rowCount {
                            avx512MicroKernel12x16(depth: depth, a0: aBlock + rowTile * depth, a1: aBlock + (rowTile + kernelRows) * depth,
                                                   b: bPanel, bRowStride: bPanelRowStride,
                                                   c: c + (rowStart + rowTile) * cRowStride + columns.lowerBound + columnTile,
                                                   cRowStride: cRowStride, addToC: addToC)
                            rowTile += kernelRows
                            continue
                        }
                        let aPanel = aBlock + rowTile * depth
                        let cTile = c + (rowStart + rowTile) * cRowStride + columns.lowerBound + columnTile
                        if tileHeight == kernelRows && tileWidth == kernelColumns {
                            family.microKernel6x16(depth: depth, a: aPanel, b: bPanel, bRowStride: bPanelRowStride, c: cTile,
                                            cRowStride: cRowStride, addToC: addToC)
                        } else {
                            withUnsafeMutableBytes(of: &tile) { raw in
                                partialTile(aPanel: aPanel, bPanel: bPanel, bPanelRowStride: bPanelRowStride, cTile: cTile, height: tileHeight,
                                            width: tileWidth, depth: depth, addToC: addToC, buffer: raw.baseAddress!.assumingMemoryBound(to: Float.self))
                            }
                        }
                    }
                    columnTile += kernelColumns
                }
            }
        }
    }

    /// A tile at the edge of C (`height` < 6 rows or `width` < 16 columns): the micro-kernel writes a whole
    /// 6×16 tile into `buffer`, and only the part inside C is stored (or added).
    @inline(__always)
    private func partialTile(aPanel: UnsafePointer<Float>, bPanel: UnsafePointer<Float>, bPanelRowStride: Int, cTile: UnsafeMutablePointer<Float>,
                             height: Int, width: Int, depth: Int, addToC: Bool, buffer: UnsafeMutablePointer<Float>) {
        kernels.microKernel6x16(depth: depth, a: aPanel, b: bPanel, bRowStride: bPanelRowStride, c: buffer, cRowStride: kernelColumns, addToC: false)
        storeRows(from: buffer, bufferRowStride: kernelColumns, into: cTile, height: height, width: width, addToC: addToC)
    }

    /// Stores (or adds to C) the top-left `height` × `width` of a tile that a kernel wrote to `buffer`, rows
    /// `bufferRowStride` apart: 8 values at a time when the width is a multiple of 8, else one at a time.
    @inline(__always)
    private func storeRows(from buffer: UnsafePointer<Float>, bufferRowStride: Int, into cTile: UnsafeMutablePointer<Float>,
                           height: Int, width: Int, addToC: Bool) {
        for r in 0..<height {
            let (source, target) = (buffer + r * bufferRowStride, cTile + r * cRowStride)
            if width % 8 == 0 {
                for j in stride(from: 0, to: width, by: 8) {
                    let raw = UnsafeMutableRawPointer(target + j)
                    var value = UnsafeRawPointer(source + j).loadUnaligned(as: SIMD8<Float>.self)
                    if addToC { value += raw.loadUnaligned(as: SIMD8<Float>.self) }
                    raw.storeBytes(of: value, as: SIMD8<Float>.self)
                }
            } else {
                for j in 0..<width { target[j] = addToC ? target[j] + source[j] : source[j] }
            }
        }
    }

    /// Whether the kernel can read `depth` rows of a row-major op(B) panel where they are stored without the rows
    /// evicting each other from L1: a row stride near a multiple of 4 KB maps the 64-byte rows to the same few of
    /// the 64 cache sets (32 KB, 8 ways), and then the panel must be packed. Allows at most 4 lines per set.
    func canReadPanelsInPlace(depth: Int) -> Bool {
        guard !bTransposed else { return false }
        let (sets, lineBytes, floatBytes) = (64, 64, MemoryLayout<Float>.stride)
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: sets) { linesPerSet in
            linesPerSet.initialize(repeating: 0)
            for row in 0..<depth {
                let first = row * bRowStride * floatBytes
                for line in first / lineBytes...(first + kernelColumns * floatBytes - 1) / lineBytes {
                    linesPerSet[line % sets] += 1
                    if linesPerSet[line % sets] > 4 { return false }
                }
            }
            return true
        }
    }

    /// Copies op(B)[depthStart..<depthStart+depth, columns] into panels of 16 columns:
    /// panel j holds, for each p, the 16 values op(B)[p, j*16 ..< j*16+16] (zero beyond the edge).
    func packB(into packed: UnsafeMutablePointer<Float>, depthStart: Int, depth: Int, columns: Range<Int>) {
        var destination = packed
        for panelStart in stride(from: columns.lowerBound, to: columns.upperBound, by: kernelColumns) {
            let panelWidth = min(kernelColumns, columns.upperBound - panelStart)
            if !bTransposed {
                for p in 0..<depth {
                    let source = b + (depthStart + p) * bRowStride + panelStart
                    if panelWidth == kernelColumns {
                        destination.update(from: source, count: kernelColumns)
                    } else {
                        destination.update(from: source, count: panelWidth)
                        (destination + panelWidth).update(repeating: 0, count: kernelColumns - panelWidth)
                    }
                    destination += kernelColumns
                }
            } else {
                // op(B)[p, j] = B[j, p]: the panel's rows of B, transposed 8 × 8 values at a time in registers
                // (a whole panel's 16 rows are two blocks of 8); the last depth mod 8 steps, or the rows of a
                // narrower panel, one value at a time, with stride 16.
                let blockedDepth = panelWidth == kernelColumns ? depth - depth % 8 : 0
                if panelWidth < kernelColumns { destination.update(repeating: 0, count: depth * kernelColumns) }
                for half in 0..<(blockedDepth > 0 ? 2 : 0) {
                    kernels.loops.packEightRowsTransposed(rows: b + (panelStart + 8 * half) * bRowStride + depthStart, rowStride: bRowStride,
                                                          depth: blockedDepth, into: destination + 8 * half, destinationStride: kernelColumns)
                }
                for j in 0..<panelWidth {
                    let source = b + (panelStart + j) * bRowStride + depthStart
                    for p in blockedDepth..<depth { destination[p * kernelColumns + j] = source[p] }
                }
                destination += depth * kernelColumns
            }
        }
    }

    /// Copies op(A)[rows, depthStart..<depthStart+depth] into panels of 6 rows:
    /// panel i holds, for each p, the 6 values op(A)[i*6 ..< i*6+6, p] (zero beyond the edge).
    func packA(into packed: UnsafeMutablePointer<Float>, depthStart: Int, depth: Int, rows: Range<Int>) {
        var destination = packed
        for panelStart in stride(from: rows.lowerBound, to: rows.upperBound, by: kernelRows) {
            let panelHeight = min(kernelRows, rows.upperBound - panelStart)
            if aTransposed {
                // op(A)[i, p] = A[p, i]: the 6 values for one p are adjacent in memory.
                for p in 0..<depth {
                    let source = a + (depthStart + p) * aRowStride + panelStart
                    for r in 0..<kernelRows { destination[r] = r < panelHeight ? source[r] : 0 }
                    destination += kernelRows
                }
            } else {
                // The panel's 6 rows of A (and two rows of zeros), transposed 8 × 8 values at a time in registers:
                // step p gets lanes 0..<6 of vector p. The last depth mod 8 steps, or the rows of a shorter
                // panel, one value at a time, with stride 6.
                let blockedDepth = panelHeight == kernelRows ? depth - depth % 8 : 0
                if panelHeight < kernelRows { destination.update(repeating: 0, count: depth * kernelRows) }
                kernels.loops.packSixRowsTransposed(rows: a + panelStart * aRowStride + depthStart, rowStride: aRowStride,
                                                    depth: blockedDepth, into: destination)
                for r in 0..<panelHeight {
                    let source = a + (panelStart + r) * aRowStride + depthStart
                    for p in blockedDepth..<depth { destination[p * kernelRows + r] = source[p] }
                }
                destination += depth * kernelRows
            }
        }
    }
}

/// Per-thread packing buffers, grown on demand and reused for the thread's lifetime.
final class GEMMScratch: @unchecked Sendable {
    private(set) var a: UnsafeMutablePointer<Float>
    private(set) var b: UnsafeMutablePointer<Float>
    private var aCapacity = 0
    private var bCapacity = 0

    init() {
        a = .allocate(capacity: 1)
        b = .allocate(capacity: 1)
    }

    func reserve(aCount: Int, bCount: Int) {
        if aCount > aCapacity {
            a.deallocate()
            a = .allocate(capacity: aCount)
            aCapacity = aCount
        }
        if bCount > bCapacity {
            b.deallocate()
            b = .allocate(capacity: bCount)
            bCapacity = bCount
        }
    }

    /// The calling thread's scratch buffers.
    static func forCurrentThread() -> GEMMScratch { threadScratch.value }
}

/// One `GEMMScratch` per thread.
private let threadScratch = ThreadLocal { GEMMScratch() }

/// A thread-local slot holding one object per thread, created on first use and released when the
/// thread ends (pthread keys: no Foundation needed).
final class ThreadLocal<Value: AnyObject>: @unchecked Sendable {
    private var key = pthread_key_t()
    private let make: () -> Value

    init(_ make: @escaping () -> Value) {
        self.make = make
        pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<AnyObject>.fromOpaque(raw).release()
        }
    }

    /// The calling thread's object.
    var value: Value {
        if let raw = pthread_getspecific(key) {
            return unsafeDowncast(Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue(), to: Value.self)
        }
        let created = make()
        pthread_setspecific(key, Unmanaged.passRetained(created as AnyObject).toOpaque())
        return created
    }
}

import KernelsAVX512

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
