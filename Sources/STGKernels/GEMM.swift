import STGTensor

/// Single-precision matrix product C (+)= A · B: blocked, packed, register-tiled, parallel.
///
/// Goto/BLIS structure: for each block of `columnBlock` columns of C and each block of
/// `depthBlock` along the inner dimension, B is packed into 12-wide micro-panels; for each block
/// of `rowBlock` rows, A is packed into 32-wide micro-panels; `GEMMMicroKernel` then sweeps the
/// tiles (B micro-panel stays in L1, the A block in L2). Operands come from any
/// `GEMMPanelSource` (strided memory, or an implicit view such as vol2col), so transposed
/// operands cost nothing extra. C may have any strides; tiles go straight to memory when its rows
/// are contiguous (rowStride 1), through a small edge buffer otherwise.
///
/// Parallel over threads without false sharing: rows of C split in chunks of whole 32-row
/// micro-panels (128 bytes), else columns of C. A product with a single 32 × 12 tile of C and a
/// long depth splits the depth into fixed chunks instead (chunk i > 0 sums into its own partial C
/// in the workspace, added to C in chunk order). Every split is either along C (each element
/// summed by one thread in the same order) or fixed by the shape, so results do not depend on
/// the thread count.
/// No allocation: all scratch comes from `workspace` (`workspaceCount`).
package enum GEMM {
    /// Depth (inner dimension) of one packed block: a 12-wide B micro-panel of this depth fits L1.
    package static let depthBlock = 256
    /// Rows of one packed A block (a multiple of 32; rowBlock × depthBlock floats sit in L2).
    package static let rowBlock = 384
    /// Columns of one packed B block (a multiple of 12).
    package static let columnBlock = 3072

    private static let mr = GEMMMicroKernel.rows
    private static let nr = GEMMMicroKernel.columns

    @inline(__always) private static func roundUp(_ x: Int, _ r: Int) -> Int { (x + r - 1) / r * r }

    /// Scratch floats for one thread's packed blocks and edge tile (plus 64-byte alignment slack).
    private static func slotCount(m: Int, n: Int, k: Int) -> Int {
        let kc = max(1, min(depthBlock, k))
        let mc = min(rowBlock, roundUp(max(m, 1), mr))
        let nc = min(columnBlock, roundUp(max(n, 1), nr))
        return roundUp(mc * kc + kc * nc + mr * nr, 16) + 16
    }

    /// Depth of one chunk when a product with a single 32 × 12 tile of C splits its depth.
    package static let depthChunk = 2048

    /// Depth chunks of a product that splits its depth (one tile of C, long depth), else 1. A
    /// function of the shape only, so that results do not depend on the thread count.
    static func depthChunks(m: Int, n: Int, k: Int) -> Int {
        m <= mr && n <= nr ? min(8, max(1, k / depthChunk)) : 1
    }

    /// Scratch floats `multiply` needs for an m × n × k product on up to `threads` threads.
    package static func workspaceCount(m: Int, n: Int, k: Int, threads: Int) -> Int {
        let t = max(1, threads)
        let chunks = depthChunks(m: m, n: n, k: k)
        return max(t, chunks) * slotCount(m: m, n: n, k: k) + (chunks - 1) * m * n
    }

    /// C (m × n) = A (m × k) · B (k × n), or C += A · B when `accumulate`.
    ///
    /// - Parameters:
    ///   - a, b: strided views (any strides; a transposed matrix is a view with swapped strides).
    ///   - c: the destination, with any strides (fastest when rowStride is 1).
    ///   - threads: at most this many threads (the workspace must be sized for them).
    ///   - workspace: at least `workspaceCount(m:n:k:threads:)` floats.
    package static func multiply(
        _ a: MatrixView, _ b: MatrixView, into c: MutableMatrixView, accumulate: Bool, threads: Int,
        workspace: UnsafeMutablePointer<Float>
    ) {
        precondition(
            a.columns == b.rows && a.rows == c.rows && b.columns == c.columns,
            "GEMM shapes do not match: A \(a.rows)×\(a.columns), B \(b.rows)×\(b.columns), C \(c.rows)×\(c.columns)")
        multiply(
            StridedPanels(rowsOf: a), StridedPanels(columnsOf: b), into: c, accumulate: accumulate,
            threads: threads, workspace: workspace)
    }

    /// C = A · B (or C += A · B) with operands packed from any panel sources: A's outer indices are
    /// the rows of C, B's the columns of C, and both share `depth`.
    package static func multiply<A: GEMMPanelSource, B: GEMMPanelSource>(
        _ a: A, _ b: B, into c: MutableMatrixView, accumulate: Bool, threads: Int,
        workspace: UnsafeMutablePointer<Float>
    ) {
        let m = a.outerCount
        let n = b.outerCount
        let k = a.depth
        precondition(
            b.depth == k && c.rows == m && c.columns == n,
            "GEMM shapes do not match: A \(m)×\(k), B \(b.depth)×\(n), C \(c.rows)×\(c.columns)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate {
                for j in 0..<n { for i in 0..<m { c.base[i * c.rowStride + j * c.columnStride] = 0 } }
            }
            return
        }
        let slot = slotCount(m: m, n: n, k: k)
        let rowPanels = (m + mr - 1) / mr
        let columnPanels = (n + nr - 1) / nr
        let work = m * n * k
        let t = work < 1 << 18 ? 1 : max(1, threads)
        let chunks = depthChunks(m: m, n: n, k: k)

        if chunks > 1 {
            // One tile of C, long depth: fixed depth chunks (a function of k only); chunk i > 0
            // sums into partial i, added to C in chunk order, on any number of threads.
            let partials = workspace + max(t, chunks) * slot
            Parallel.forEach(chunks) { i in
                let lo = i * k / chunks
                let hi = (i + 1) * k / chunks
                let target =
                    i == 0 ? c : MutableMatrixView(partials + (i - 1) * m * n, rows: m, columns: n, rowStride: 1, columnStride: m)
                compute(a, b, target, rows: 0..<m, columns: 0..<n, depths: lo..<hi,
                        accumulate: i == 0 ? accumulate : false, sizes: (m, n, k), slot: workspace + i * slot)
            }
            for i in 1..<chunks {
                let partial = partials + (i - 1) * m * n
                for j in 0..<n {
                    for r in 0..<m { c.base[r * c.rowStride + j * c.columnStride] += partial[r + j * m] }
                }
            }
        } else if t == 1 {
            compute(a, b, c, rows: 0..<m, columns: 0..<n, depths: 0..<k, accumulate: accumulate,
                    sizes: (m, n, k), slot: workspace)
        } else if rowPanels >= 2 * t || (rowPanels >= t && columnPanels < 2 * t) {
            let chunks = min(t, rowPanels)
            Parallel.forEach(chunks) { i in
                let lo = min(m, i * rowPanels / chunks * mr)
                let hi = min(m, (i + 1) * rowPanels / chunks * mr)
                compute(a, b, c, rows: lo..<hi, columns: 0..<n, depths: 0..<k, accumulate: accumulate,
                        sizes: (m, n, k), slot: workspace + i * slot)
            }
        } else if columnPanels >= t {
            let chunks = min(t, columnPanels)
            Parallel.forEach(chunks) { i in
                let lo = min(n, i * columnPanels / chunks * nr)
                let hi = min(n, (i + 1) * columnPanels / chunks * nr)
                compute(a, b, c, rows: 0..<m, columns: lo..<hi, depths: 0..<k, accumulate: accumulate,
                        sizes: (m, n, k), slot: workspace + i * slot)
            }
        } else {
            // Few panels: columns when there are at least as many as threads, else rows.
            let chunks = min(t, max(rowPanels, columnPanels))
            if columnPanels >= rowPanels {
                Parallel.forEach(chunks) { i in
                    let lo = min(n, i * columnPanels / chunks * nr)
                    let hi = min(n, (i + 1) * columnPanels / chunks * nr)
                    compute(a, b, c, rows: 0..<m, columns: lo..<hi, depths: 0..<k, accumulate: accumulate,
                            sizes: (m, n, k), slot: workspace + i * slot)
                }
            } else {
                Parallel.forEach(chunks) { i in
                    let lo = min(m, i * rowPanels / chunks * mr)
                    let hi = min(m, (i + 1) * rowPanels / chunks * mr)
                    compute(a, b, c, rows: lo..<hi, columns: 0..<n, depths: 0..<k, accumulate: accumulate,
                            sizes: (m, n, k), slot: workspace + i * slot)
                }
            }
        }
    }

    /// One thread's share: C[rows, columns] (+)= A[rows, depths] · B[depths, columns].
    @inline(__always)
    private static func compute<A: GEMMPanelSource, B: GEMMPanelSource>(
        _ a: A, _ b: B, _ c: MutableMatrixView, rows: Range<Int>, columns: Range<Int>, depths: Range<Int>,
        accumulate: Bool, sizes: (m: Int, n: Int, k: Int), slot: UnsafeMutablePointer<Float>
    ) {
        if rows.isEmpty || columns.isEmpty || depths.isEmpty { return }
        let kcMax = max(1, min(depthBlock, sizes.k))
        let mcMax = min(rowBlock, roundUp(sizes.m, mr))
        let ncMax = min(columnBlock, roundUp(sizes.n, nr))
        let packedA = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)!
        let packedB = packedA + mcMax * kcMax
        let tile = packedB + kcMax * ncMax
        let contiguousRows = c.rowStride == 1

        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let nEnd = min(jc + columnBlock, columns.upperBound)
            var pc = depths.lowerBound
            while pc < depths.upperBound {
                let kEnd = min(pc + depthBlock, depths.upperBound)
                let kc = kEnd - pc
                b.pack(outer: jc..<nEnd, depths: pc..<kEnd, width: nr, into: packedB)
                let add = accumulate || pc != depths.lowerBound
                var ic = rows.lowerBound
                while ic < rows.upperBound {
                    let mEnd = min(ic + rowBlock, rows.upperBound)
                    a.pack(outer: ic..<mEnd, depths: pc..<kEnd, width: mr, into: packedA)
                    var jr = jc
                    while jr < nEnd {
                        let nCount = min(nr, nEnd - jr)
                        let bPanel = packedB + (jr - jc) / nr * kc * nr
                        var ir = ic
                        while ir < mEnd {
                            let mCount = min(mr, mEnd - ir)
                            let aPanel = packedA + (ir - ic) / mr * kc * mr
                            let target = c.base + ir * c.rowStride + jr * c.columnStride
                            if contiguousRows && mCount == mr && nCount == nr {
                                GEMMMicroKernel.microKernel(
                                    depth: kc, a: aPanel, b: bPanel, c: target, columnStride: c.columnStride,
                                    accumulate: add)
                            } else {
                                GEMMMicroKernel.microKernel(
                                    depth: kc, a: aPanel, b: bPanel, c: tile, columnStride: mr, accumulate: false)
                                for j in 0..<nCount {
                                    let column = target + j * c.columnStride
                                    for i in 0..<mCount {
                                        let value = tile[i + j * mr]
                                        column[i * c.rowStride] = add ? column[i * c.rowStride] + value : value
                                    }
                                }
                            }
                            ir += mr
                        }
                        jr += nr
                    }
                    ic = mEnd
                }
                pc = kEnd
            }
            jc = nEnd
        }
    }
}
