// GrayImage+Specks.swift — optional part of step 5: erase tiny isolated specks far from the digit.
//
// A crumb or a dust spot in a corner of a photo would stretch the bounding box and shrink the digit.
// Connected components of ink are measured; small ones lying well apart from the main stroke are erased.

extension GrayImage {
    /// Erases specks: small blobs of ink far from the digit. Same shape as `self`.
    ///
    /// Ink pixels (value > 0) are grouped into 8-connected components; each has a mass (sum of values) and
    /// a bounding box. The heaviest component is the digit's main stroke. Another component is a *speck*,
    /// and is set to 0, when both
    /// - its mass is below `massFraction` × the main component's mass, and
    /// - the gap between its box and the main box exceeds `gapFraction` × the main box's longest side,
    ///   along x or along y.
    ///
    /// So the separate bar of a '5' or a broken stroke (close, or heavy) stays; a dot in a far corner goes.
    /// O(pixels): rows are cut into runs of ink, runs touching across rows are merged with union–find.
    public func removingSpecks(massFraction: Float = 0.05, gapFraction: Float = 0.2) -> GrayImage {
        let width = self.width, height = self.height
        guard width > 0, height > 0 else { return self }
        // Runs of ink: row, columns start ..< end, mass. `rowRuns[y] ..< rowRuns[y + 1]` are row y's runs.
        let capacity = 4 * height
        var runRow = [Int](), runStart = [Int](), runEnd = [Int](), runMass = [Float]()
        runRow.reserveCapacity(capacity); runStart.reserveCapacity(capacity)
        runEnd.reserveCapacity(capacity); runMass.reserveCapacity(capacity)
        var rowRuns = [Int](repeating: 0, count: height + 1)
        pixels.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            for y in 0..<height {
                let row = base + y * width
                rowRuns[y] = runRow.count
                var x = 0
                while x < width {
                    while x < width && !(row[x] > 0) { x += 1 }
                    if x == width { break }
                    let start = x
                    var mass: Float = 0
                    while x < width && row[x] > 0 { mass += row[x]; x += 1 }
                    runRow.append(y); runStart.append(start); runEnd.append(x); runMass.append(mass)
                }
            }
            rowRuns[height] = runRow.count
        }
        let runs = runRow.count
        guard runs > 1 else { return self }
        // Union–find over runs: join runs that touch the previous row's, diagonals included ([s, e) and
        // [s', e') touch when s ≤ e' and s' ≤ e). Both rows' runs are sorted: one merge-like pass per row.
        var parent = Array(0..<runs)
        parent.withUnsafeMutableBufferPointer { parent in
            func root(_ run: Int) -> Int {
                var run = run
                while parent[run] != run {
                    parent[run] = parent[parent[run]]  // path halving
                    run = parent[run]
                }
                return run
            }
            for y in 1..<max(height, 1) {
                var above = rowRuns[y - 1], here = rowRuns[y]
                let aboveEnd = rowRuns[y], hereEnd = rowRuns[y + 1]
                while above < aboveEnd && here < hereEnd {
                    if runStart[above] <= runEnd[here] && runStart[here] <= runEnd[above] {
                        let a = root(above), b = root(here)
                        if a != b { parent[max(a, b)] = min(a, b) }
                    }
                    if runEnd[above] < runEnd[here] { above += 1 } else { here += 1 }
                }
            }
            for run in 0..<runs { parent[run] = root(run) }
        }
        // Components, keyed by their root run.
        var mass = [Float](repeating: 0, count: runs)
        var left = [Int](repeating: Int.max, count: runs), right = [Int](repeating: -1, count: runs)
        var top = [Int](repeating: Int.max, count: runs), bottom = [Int](repeating: -1, count: runs)
        let rootOf = parent
        for run in 0..<runs {
            let r = rootOf[run]
            mass[r] += runMass[run]
            left[r] = min(left[r], runStart[run]); right[r] = max(right[r], runEnd[run] - 1)
            top[r] = min(top[r], runRow[run]); bottom[r] = max(bottom[r], runRow[run])
        }
        var main = 0
        for run in 0..<runs where rootOf[run] == run && mass[run] > mass[main] { main = run }
        let longest = Float(max(right[main] - left[main], bottom[main] - top[main]) + 1)
        var isSpeck = [Bool](repeating: false, count: runs)
        var anySpeck = false
        for component in 0..<runs where rootOf[component] == component && component != main {
            let gapX = max(left[component] - right[main], left[main] - right[component]) - 1
            let gapY = max(top[component] - bottom[main], top[main] - bottom[component]) - 1
            if mass[component] < massFraction * mass[main] && Float(max(gapX, gapY)) > gapFraction * longest {
                isSpeck[component] = true
                anySpeck = true
            }
        }
        guard anySpeck else { return self }
        var output = pixels
        for run in 0..<runs where isSpeck[rootOf[run]] {
            for x in runStart[run]..<runEnd[run] { output[runRow[run] * width + x] = 0 }
        }
        return GrayImage(width: width, height: height, pixels: output)
    }
}
