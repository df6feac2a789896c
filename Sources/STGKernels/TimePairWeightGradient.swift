import STGTensor
import Synchronization

/// The weight gradient of a layer with a time stride s ≥ 2 on pairs of output frames: Winograd
/// F(2, 2) along time, three matrix products where the column path runs four.
///
/// Time tap kt = s·j + r (phase r < s, the phase's j-th tap) of output frame o reads frame o + j
/// of the input's time phase r, so with G_kt(o) the column matrix of that tap over one output
/// frame (rows d = (ci, kh, kw), columns the frame's positions q, read from the phase source) and
/// dY(o) (positions × filters) that frame's gradOutput:
///
///     gradWeight[·, ·, kt] += Σ_o G_kt(o) · dY(o)
///
/// Two taps kt, kt + s of one phase read the same frames shifted by one: G_{kt+s}(o) = G_kt(o + 1).
/// For output frames 2m, 2m + 1, with a = dY(2m), b = dY(2m + 1), xᵢ = G_kt(2m + i):
///
///     W_kt += x0·a + x1·b = M1 + M2,   W_{kt+s} += x1·a + x2·b = M2 + M3,
///     M1 = (x0 − x1)·a,   M2 = x1·(a + b),   M3 = (x2 − x1)·b:
///
/// three products per pair of frames and pair of taps instead of four. Each of M1, M2, M3 has its
/// own accumulator (rows d × filters), summed over the pairs and the videos; a phase's last tap,
/// when it has an odd number of them, is a plain product over all frames; a last frame alone (odd
/// output.t) adds its plain products to M1 and M3. The accumulators go into gradWeight at the
/// end: W_kt = M1 + M2, W_{kt+s} = M3 + M2.
///
/// Work: one job per accumulator, dynamically scheduled, each on one thread with a
/// single-threaded `GEMM` per block of output rows of one frame (the block's columns built by
/// that thread from the phase source, differences included; gradOutput read in place, or from the
/// group's sums dY(2m) + dY(2m + 1)). Rows d are padded to whole 32-row tiles with zero columns.
/// Pairs go in groups whose gradOutput stays in cache while every job reads it. Every
/// accumulator is summed by one job in a fixed order, so results do not depend on the thread
/// count. `st`'s 15³ stride-7 first layer runs 23 products per pair of frames instead of 30,
/// `fcs`'s 7³ stride-2 one 11 instead of 14.
package enum TimePairWeightGradient {
    /// True when some time phase has two taps and there are two output frames to pair, on frames
    /// large enough for the products to be long (at least 64 positions).
    package static func applies(_ g: Conv3dGeometry) -> Bool {
        g.stride.t >= 2 && g.kernel.t > g.stride.t && g.output.t >= 2 && g.output.h * g.output.w >= 64
    }

    struct Layout {
        let phases: IndirectConvolution.ForwardLayout
        let rows: Int  // R = ci · kh · kw
        let paddedRows: Int  // R rounded up to whole GEMM tiles (the rows past R are zeros)
        let plane: Int  // output.h · output.w
        let pairs: Int  // ⌊output.t / 2⌋
        let rowsPerBlock: Int  // output rows per column block (of one frame)
        let pairsPerGroup: Int  // pairs whose gradOutput frames every job reads in one round
        let accumulatorCount: Int  // paddedRows · filters
        let slotCount: Int  // one thread's column block and GEMM scratch

        init(_ g: Conv3dGeometry, columnFloats: Int) {
            phases = IndirectConvolution.ForwardLayout(g)
            rows = g.inputChannels * g.kernel.h * g.kernel.w
            paddedRows = IndirectConvolution.roundUp(rows, GEMMMicroKernel.rows)
            plane = g.output.h * g.output.w
            pairs = g.output.t / 2
            rowsPerBlock = max(1, min(g.output.h, columnFloats / (paddedRows * g.output.w)))
            // Up to twice the column budget of gradOutput per group (its 2 frames per pair; 8 MB by
            // default, in L3 while every job reads it).
            pairsPerGroup = max(1, min(pairs, columnFloats / (g.outputChannels * plane)))
            accumulatorCount = paddedRows * g.outputChannels
            let depth = rowsPerBlock * g.output.w
            slotCount = IndirectConvolution.roundUp(paddedRows * depth + 16, 16)
                + GEMM.workspaceCount(m: paddedRows, n: g.outputChannels, k: depth, threads: 1) + 16
        }
    }

    /// Scratch floats of `backwardWeight`.
    package static func workspaceCount(_ g: Conv3dGeometry, threads: Int, columnFloats: Int) -> Int {
        let l = Layout(g, columnFloats: columnFloats)
        return l.phases.sourceCount + 2 * g.kernel.t * l.accumulatorCount + g.outputChannels * l.pairsPerGroup * l.plane
            + max(1, threads) * l.slotCount + 64
    }

    /// What one job multiplies: with G = G_kt, D1 = G(2m) − G(2m + 1), X1 = G(2m + 1),
    /// D2 = G(2m + 2) − G(2m + 1) over the pairs m, or G(o) over all frames (a lone tap).
    enum Product {
        case d1, x1, d2, frames
    }

    /// The output frames one round of jobs covers: a group of pairs, or the last frame alone.
    enum Part {
        case pairs(Range<Int>)
        case lastFrame
    }

    struct Job {
        let product: Product
        let tap: Int  // kt (for d1, x1, d2: the pair's first tap)

        /// The accumulator it sums into: slot kt for M1 and lone taps, kt + s for M3, K + kt for M2.
        func slot(_ g: Conv3dGeometry) -> Int {
            switch product {
            case .d1, .frames: return tap
            case .d2: return tap + g.stride.t
            case .x1: return g.kernel.t + tap
            }
        }
    }

    /// Taps of phase r: r, r + s, … below K.
    @inline(__always) private static func tapCount(_ g: Conv3dGeometry, phase r: Int) -> Int {
        r < g.kernel.t ? (g.kernel.t - 1 - r) / g.stride.t + 1 : 0
    }

    /// The jobs, lone taps first (they cost twice a pair product), then the pair products.
    static func jobs(_ g: Conv3dGeometry) -> [Job] {
        let s = g.stride.t
        var lone: [Job] = []
        var paired: [Job] = []
        for r in 0..<s {
            let count = tapCount(g, phase: r)
            for j in stride(from: 0, to: count - 1, by: 2) {
                let kt = r + s * j
                paired.append(Job(product: .d1, tap: kt))
                paired.append(Job(product: .x1, tap: kt))
                paired.append(Job(product: .d2, tap: kt))
            }
            if count % 2 == 1 { lone.append(Job(product: .frames, tap: r + s * (count - 1))) }
        }
        return lone + paired
    }

    /// gradWeight += Σ_videos corr(input, gradOutput), gradBias += Σ gradOutput (accumulating).
    ///
    /// - Parameters:
    ///   - input: (videos, inputChannels, t, h, w).
    ///   - gradOutput: (videos, outputChannels, t, h, w) of the output.
    ///   - columnFloats: the most column floats a job builds at once; a group of pairs holds at
    ///     most twice that of gradOutput.
    ///   - workspace: `workspaceCount(g, threads:columnFloats:)` floats.
    ///   - gradWeight: (outputChannels, inputChannels, kt, kh, kw), added to.
    ///   - gradBias: (outputChannels), added to.
    package static func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, columnFloats: Int, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>
    ) {
        precondition(applies(g), "TimePairWeightGradient does not apply to \(g)")
        let l = Layout(g, columnFloats: columnFloats)
        let source = workspace
        let accumulators = source + l.phases.sourceCount
        let sums = accumulators + 2 * g.kernel.t * l.accumulatorCount
        let slots = sums + g.outputChannels * l.pairsPerGroup * l.plane
        let jobs = jobs(g)
        let tasks = min(max(1, threads), jobs.count)
        // Every job of a group of pairs (or of the last frame alone), dynamically scheduled.
        func runJobs(_ dy: UnsafePointer<Float>, _ part: Part, first: Bool) {
            let next = Atomic<Int>(0)
            jobs.withUnsafeBufferPointer { jobs in
                Parallel.forEach(tasks) { task in
                    let slot = UnsafeMutablePointer<Float>(
                        bitPattern: (Int(bitPattern: slots + task * l.slotCount) + 63) & ~63)!
                    while true {
                        let index = next.add(1, ordering: .relaxed).oldValue
                        if index >= jobs.count { break }
                        let job = jobs[index]
                        run(job, part, g, l, source: source, gradOutput: dy, sums: sums, first: first,
                            into: accumulators + job.slot(g) * l.accumulatorCount, slot: slot)
                    }
                }
            }
        }
        for n in 0..<videos {
            IndirectConvolution.fillPhaseSources(
                input + n * g.inputCount, videos: 1, g, l.phases, threads: threads, into: source)
            let dy = gradOutput + n * g.outputCount
            // Groups of pairs whose gradOutput frames stay in cache while every job reads them.
            var m0 = 0
            while m0 < l.pairs {
                let m1 = min(l.pairs, m0 + l.pairsPerGroup)
                // sums (filters, group pairs · positions): dY(2m) + dY(2m + 1), for the M2 products.
                Parallel.forEach(min(threads, g.outputChannels)) { task in
                    let tasks = min(threads, g.outputChannels)
                    for c in task * g.outputChannels / tasks..<(task + 1) * g.outputChannels / tasks {
                        for m in m0..<m1 {
                            let a = dy + c * g.output.volume + 2 * m * l.plane
                            let out = sums + (c * (m1 - m0) + m - m0) * l.plane
                            for i in 0..<l.plane { out[i] = a[i] + a[l.plane + i] }
                        }
                    }
                }
                runJobs(dy, .pairs(m0..<m1), first: n == 0 && m0 == 0)
                m0 = m1
            }
            if g.output.t % 2 == 1 { runJobs(dy, .lastFrame, first: false) }
        }
        addAccumulators(accumulators, g, l, jobs: jobs, threads: threads, into: gradWeight)
        for n in 0..<videos { BiasGradient.add(gradOutput: gradOutput + n * g.outputCount, geometry: g, into: gradBias) }
    }

    /// One job on one video: its column blocks (one frame's rows `rowsPerBlock` at a time, so a
    /// block and the GEMM's packed operands stay in L2), each times the matching rows of
    /// gradOutput, summed into `accumulator` (paddedRows × filters, row index fastest),
    /// overwriting it on the first video's first block.
    private static func run(
        _ job: Job, _ part: Part, _ g: Conv3dGeometry, _ l: Layout, source: UnsafePointer<Float>,
        gradOutput dy: UnsafePointer<Float>, sums: UnsafePointer<Float>, first: Bool,
        into accumulator: UnsafeMutablePointer<Float>, slot: UnsafeMutablePointer<Float>
    ) {
        let co = g.outputChannels
        let L = g.output.volume
        let T = g.output.t
        let w = g.output.w
        let frame = l.phases.a.h * l.phases.a.w
        let columns = slot
        let scratch = columns + IndirectConvolution.roundUp(l.paddedRows * l.rowsPerBlock * w + 16, 16)
        var overwrite = first
        // Whole 32-row tiles: the rows past R multiply zero columns into accumulator rows never read.
        let target = MutableMatrixView(accumulator, rows: l.paddedRows, columns: co, rowStride: 1, columnStride: l.paddedRows)

        // Columns of output rows `ohs` of one frame (filled by `fill(row source, row output)`, the
        // row source at that frame's row 0), times gradOutput rows `b` (positions × filters, the
        // positions contiguous, filters `filterStride` apart).
        func product(
            tap kt: Int, rows ohs: Range<Int>, _ b: UnsafePointer<Float>, filterStride: Int,
            _ fill: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
        ) {
            let depth = ohs.count * w
            buildColumns(g, l, source: source, tap: kt, depth: depth, into: columns) { row, out in
                fill(row + ohs.lowerBound * l.phases.a.w, out)
            }
            GEMM.multiply(
                MatrixView.rowMajor(columns, rows: l.paddedRows, columns: depth),
                MatrixView(b + ohs.lowerBound * w, rows: depth, columns: co, rowStride: 1, columnStride: filterStride),
                into: target, accumulate: !overwrite, threads: 1, workspace: scratch)
            overwrite = false
        }

        // The plain products of output frame o of tap kt: G_kt(o) · dY(o).
        func plain(tap kt: Int, frame o: Int) {
            forEachBlock(g, l) { ohs in
                product(tap: kt, rows: ohs, dy + o * l.plane, filterStride: L) { row, out in
                    gather(row + o * frame, minus: nil, rows: ohs.count, g, l, into: out)
                }
            }
        }

        switch part {
        case .lastFrame:
            // A last frame alone: its plain products, into M1 (tap kt), M3 (tap kt + s) and lone taps.
            switch job.product {
            case .x1: break
            case .d2: plain(tap: job.tap + g.stride.t, frame: T - 1)
            case .d1, .frames: plain(tap: job.tap, frame: T - 1)
            }
        case .pairs(let pairs):
            for m in pairs {
                if job.product == .frames {
                    plain(tap: job.tap, frame: 2 * m)
                    plain(tap: job.tap, frame: 2 * m + 1)
                    continue
                }
                forEachBlock(g, l) { ohs in
                    let n = ohs.count
                    switch job.product {
                    case .d1:
                        // (G(2m) − G(2m + 1)) · dY(2m)
                        product(tap: job.tap, rows: ohs, dy + 2 * m * l.plane, filterStride: L) { row, out in
                            let x1 = row + (2 * m + 1) * frame
                            gather(x1 - frame, minus: x1, rows: n, g, l, into: out)
                        }
                    case .x1:
                        // G(2m + 1) · (dY(2m) + dY(2m + 1))
                        let group = pairs.count * l.plane
                        product(tap: job.tap, rows: ohs, sums + (m - pairs.lowerBound) * l.plane, filterStride: group) {
                            row, out in
                            gather(row + (2 * m + 1) * frame, minus: nil, rows: n, g, l, into: out)
                        }
                    default:
                        // (G(2m + 2) − G(2m + 1)) · dY(2m + 1)
                        product(tap: job.tap, rows: ohs, dy + (2 * m + 1) * l.plane, filterStride: L) { row, out in
                            let x1 = row + (2 * m + 1) * frame
                            gather(x1 + frame, minus: x1, rows: n, g, l, into: out)
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with the output-row ranges of one frame's column blocks.
    @inline(__always)
    private static func forEachBlock(_ g: Conv3dGeometry, _ l: Layout, _ body: (Range<Int>) -> Void) {
        var oh = 0
        while oh < g.output.h {
            let end = min(g.output.h, oh + l.rowsPerBlock)
            body(oh..<end)
            oh = end
        }
    }

    /// Writes the column block of tap kt: row d = (ci, kh, kw) holds `depth` floats, filled by
    /// `fill(row source, row output)`, where the row source is where the tap of d reads output
    /// frame 0 in the phase source; rows R..<paddedRows are zeros. Each row may spill up to 15
    /// floats into the next row's place before that row overwrites it (the block has 16 floats of
    /// slack).
    @inline(__always)
    private static func buildColumns(
        _ g: Conv3dGeometry, _ l: Layout, source: UnsafePointer<Float>, tap kt: Int, depth: Int,
        into columns: UnsafeMutablePointer<Float>,
        _ fill: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        let k = g.kernel
        for d in 0..<l.rows {
            let kw = d % k.w
            let kh = (d / k.w) % k.h
            let ci = d / (k.w * k.h)
            fill(source + l.phases.tapOffset(g, channel: ci, kt: kt, kh: kh, kw: kw), columns + d * depth)
        }
        (columns + l.rows * depth).update(repeating: 0, count: (l.paddedRows - l.rows) * depth)
    }

    /// `rows` runs of output.w floats, `a` − `b` (or `a`), a phase-plane row apart, written
    /// contiguously. The last vector of each run may read and write up to 15 floats past it (the
    /// phase source has slack; the next run or row overwrites what was written).
    @inline(__always)
    private static func gather(
        _ a: UnsafePointer<Float>, minus b: UnsafePointer<Float>?, rows: Int, _ g: Conv3dGeometry, _ l: Layout,
        into out: UnsafeMutablePointer<Float>
    ) {
        let w = g.output.w
        let pitch = l.phases.a.w
        for oh in 0..<rows {
            let x = UnsafeRawPointer(a + oh * pitch)
            let y = b.map { UnsafeRawPointer($0 + oh * pitch) }
            let o = UnsafeMutableRawPointer(out + oh * w)
            var i = 0
            while i < w {
                var v = x.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
                if let y { v -= y.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) }
                o.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD16<Float>.self)
                i += 16
            }
        }
    }

    /// gradWeight[c, ci, kt, kh, kw] += the accumulators' (ci, kh, kw), c: slot kt, plus M2 of the
    /// pair kt starts or ends. Parallel over filters.
    private static func addAccumulators(
        _ accumulators: UnsafePointer<Float>, _ g: Conv3dGeometry, _ l: Layout, jobs: [Job], threads: Int,
        into gradWeight: UnsafeMutablePointer<Float>
    ) {
        let K = g.kernel.t
        let s = g.stride.t
        let spatial = g.kernel.h * g.kernel.w
        let P = g.patchCount
        // partner[kt]: the M2 slot of kt's pair, or -1.
        var partner = [Int](repeating: -1, count: K)
        for job in jobs where job.product == .x1 {
            partner[job.tap] = K + job.tap
            partner[job.tap + s] = K + job.tap
        }
        partner.withUnsafeBufferPointer { partner in
            Parallel.forEach(min(threads, g.outputChannels)) { task in
                let tasks = min(threads, g.outputChannels)
                for c in task * g.outputChannels / tasks..<(task + 1) * g.outputChannels / tasks {
                    for ci in 0..<g.inputChannels {
                        for kt in 0..<K {
                            let out = gradWeight + c * P + (ci * K + kt) * spatial
                            let d0 = c * l.paddedRows + ci * spatial
                            let m = accumulators + kt * l.accumulatorCount + d0
                            if partner[kt] >= 0 {
                                let m2 = accumulators + partner[kt] * l.accumulatorCount + d0
                                for i in 0..<spatial { out[i] += m[i] + m2[i] }
                            } else {
                                for i in 0..<spatial { out[i] += m[i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
