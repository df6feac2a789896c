import STGTensor
import CPrefetch

/// Convolutions whose kernel covers whole frames (kernel h × w = input h × w, no spatial padding,
/// so each output frame is 1 × 1): matrix products over frame vectors of S = h·w contiguous floats.
///
/// With segments q = (ci, kt) of the weight (W[co] is Ci·Kt segments of S floats):
/// - forward: y[n, co, ot] = b[co] + Σ_q ⟨W[co, q], X_n[ci, ot·st − pt + kt]⟩: per input
///   channel and time class of its frames, rows of (tap, filter) lanes (prepared once per
///   Langevin run, or written per channel) against the frames' values broadcast in place
///   (`ForwardClasses`, in FrameSpanningConv3d+Forward.swift);
/// - backwardData: gradInput[n, ci, it] = Σ_{co, kt} gradOutput[n, co, ot] · W[co, ci, kt] over
///   ot·st − pt + kt = it: for each ci and time residue of it (`DataClasses`), an indirect GEMM
///   over chunks of the weight rows, contiguous blocks (prepared once per Langevin run, or copied
///   per chunk), in 64-lane × 6-column tiles (`runChunk`; lanes along S, columns (n, it));
/// - backwardWeight: gradWeight[co, ci, kt] += Σ_{n, ot} gradOutput[n, co, ot] · X_n[ci, it], the
///   same kind of indirect GEMM per ci and chunk of its frames, read in place, accumulating
///   (columns: the filters).
/// Frames outside the video (time padding) are never read (or read as a zero row). Parallel over
/// input channels (the forward sums them in fixed groups, added in order at the end): every
/// result element has one owner, so results do not depend on the thread count.
package enum FrameSpanningConv3d {
    /// True when `g` has this shape and frames are long enough for the vector kernels.
    package static func applies(_ g: Conv3dGeometry) -> Bool {
        g.kernel.h == g.input.h && g.kernel.w == g.input.w && g.padBefore.h == 0 && g.padBefore.w == 0
            && g.padAfter.h == 0 && g.padAfter.w == 0 && g.input.h * g.input.w >= 128
    }

    static func workspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        max(
            ForwardClasses(g, videos: videos).workspaceCount(threads: threads),
            backwardDataWorkspaceCount(g, videos: videos, threads: threads),
            backwardWeightWorkspaceCount(g, videos: videos, threads: threads))
    }

    // MARK: Input gradient

    /// The input-gradient columns (n, it) split by time residue ρ = (it + pt) mod st: only taps
    /// kt ≡ ρ (mod st) reach such a frame, so each class's GEMM has depth Co·|{kt ≡ ρ}| and no
    /// zero coefficients (with one class for all frames, half of fcs's were zero).
    struct DataClasses {
        let g: Conv3dGeometry
        let videos: Int
        /// Floats of one micro-kernel tile (64 × 6).
        static let tileFloats = 384

        init(_ g: Conv3dGeometry, videos: Int) {
            self.g = g
            self.videos = videos
        }

        var count: Int { g.stride.t }
        /// First input frame of class r, and how many of each video's frames are in it.
        func firstFrame(_ r: Int) -> Int { ((r - g.padBefore.t) % count + count) % count }
        func framesPerVideo(_ r: Int) -> Int {
            firstFrame(r) < g.input.t ? (g.input.t - 1 - firstFrame(r)) / count + 1 : 0
        }
        func columnCount(_ r: Int) -> Int { videos * framesPerVideo(r) }
        /// Column j = n·T + it of the class's i-th column.
        func column(_ r: Int, _ i: Int) -> Int {
            i / framesPerVideo(r) * g.input.t + firstFrame(r) + count * (i % framesPerVideo(r))
        }
        func tapCount(_ r: Int) -> Int { IndirectConvolution.taps(residue: r, kernel: g.kernel.t, stride: count) }
        /// Panel width of `runChunk`'s tiles.
        func width(_ r: Int) -> Int { 6 }
        func packedCount(_ r: Int) -> Int { IndirectConvolution.roundUp(columnCount(r), width(r)) * g.outputChannels * tapCount(r) }
        /// Where class r's offsets, packed panels and column offsets start (classes back to back).
        func starts(_ r: Int) -> (offsets: Int, packed: Int, columns: Int) {
            var o = 0, p = 0, c = 0
            for q in 0..<r {
                o += g.outputChannels * tapCount(q)
                p += packedCount(q)
                c += columnCount(q)
            }
            return (o, p, c)
        }
        var packedCount: Int { starts(count).packed }
    }

    /// Frame positions per chunk of the input gradient: each thread first copies the chunk of
    /// every weight row it needs (Co·Kt rows) into a contiguous block, row after row, and the
    /// tiles read that block. Read in place, every 32-lane tile touched Co·Kt rows far apart, and
    /// the hardware prefetchers could not follow 150 streams (fcs: 35 ms, 140 GFLOP/s).
    static let dataChunk = 256

    /// Chunks of `dataChunk` positions per frame.
    static func dataChunks(_ g: Conv3dGeometry) -> Int { (g.input.h * g.input.w + dataChunk - 1) / dataChunk }

    /// Prepared input-gradient weights: for each input channel ci and chunk q, the block the input
    /// gradient otherwise copies per call, rows (co, kt) of W[co, ci, kt, q·chunk ..< (q + 1)·chunk]
    /// (zeros past the frame), blocks in (ci, q) order. Read in this order they are one stream,
    /// which the hardware prefetchers follow while the tiles compute: without them, the copy is a
    /// phase of its own (fcs layer 2: 5.7 of 17 ms).
    static func backwardDataPreparedCount(_ g: Conv3dGeometry) -> Int {
        g.inputChannels * dataChunks(g) * g.outputChannels * g.kernel.t * dataChunk
    }

    static func prepareBackwardData(
        weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, threads: Int, into prepared: UnsafeMutablePointer<Float>
    ) {
        let S = g.input.h * g.input.w
        let P = g.patchCount
        let kt = g.kernel.t
        let rows = g.outputChannels * kt
        let chunks = dataChunks(g)
        let ci = g.inputChannels
        Parallel.forEach(min(threads, ci)) { task in
            for channel in task * ci / min(threads, ci)..<(task + 1) * ci / min(threads, ci) {
                for q in 0..<chunks {
                    let block = prepared + (channel * chunks + q) * rows * dataChunk
                    let s0 = q * dataChunk
                    let length = min(dataChunk, S - s0)
                    for row in 0..<rows {
                        let target = block + row * dataChunk
                        target.update(from: weight + row / kt * P + (channel * kt + row % kt) * S + s0, count: length)
                        (target + length).update(repeating: 0, count: dataChunk - length)
                    }
                }
            }
        }
    }

    static func backwardDataWorkspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let c = DataClasses(g, videos: videos)
        let chunkBlock = g.outputChannels * g.kernel.t * dataChunk + IndirectConvolution.slack
        return g.outputChannels * g.kernel.t + c.packedCount + videos * g.input.t
            + threads * (DataClasses.tileFloats + 16 + chunkBlock + 16) + 64
    }

    /// With `prepared` (`prepareBackwardData`), the chunk blocks are read from it; without, each
    /// thread copies them from the weight.
    static func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, prepared: UnsafePointer<Float>?, workspace: UnsafeMutablePointer<Float>,
        into gradInput: UnsafeMutablePointer<Float>
    ) {
        let S = g.input.h * g.input.w
        let P = g.patchCount
        let co = g.outputChannels
        let classes = DataClasses(g, videos: videos)
        let offsets = workspace  // per class: Co·|taps| steps, classes back to back
        let packed = offsets + co * g.kernel.t
        let columnOffsets = packed + classes.packedCount  // per class: its columns, back to back
        let tiles = columnOffsets + videos * g.input.t

        for r in 0..<classes.count {
            let start = classes.starts(r)
            let width = classes.width(r)
            let taps = classes.tapCount(r)
            let depth = co * taps
            // Depth step d = (co, kt = r + st·i) of the class reads row (co, kt) of the chunk
            // block, a copy of W[co, ci, kt, s0..<s0 + chunk] (rows of `dataChunk` floats).
            for c in 0..<co {
                for i in 0..<taps {
                    offsets[start.offsets + c * taps + i] =
                        IndirectConvolution.encode((c * g.kernel.t + r + g.stride.t * i) * dataChunk)
                }
            }
            // Column j = (n, it): coefficient of step (co, kt) is gradOutput[n, co, ot] with
            // ot·st − pt + kt = it when ot is in range, else 0 (first and last frames only).
            let columns = classes.columnCount(r)
            let panels = (columns + width - 1) / width
            for panel in 0..<panels {
                for d in 0..<depth {
                    let c = d / taps
                    let k = r + g.stride.t * (d % taps)
                    let out = packed + start.packed + panel * depth * width + d * width
                    for jj in 0..<width {
                        var value: Float = 0
                        if panel * width + jj < columns {
                            let j = classes.column(r, panel * width + jj)
                            let shifted = j % g.input.t + g.padBefore.t - k
                            if shifted >= 0 && shifted / g.stride.t < g.output.t {
                                value = gradOutput[j / g.input.t * g.outputCount + c * g.output.t + shifted / g.stride.t]
                            }
                        }
                        out[jj] = value
                    }
                }
            }
            for i in 0..<columns {
                let j = classes.column(r, i)
                columnOffsets[start.columns + i] = IndirectConvolution.encode(j / g.input.t * g.inputCount + j % g.input.t * S)
            }
        }
        let ci = g.inputChannels
        let kt = g.kernel.t
        let rows = co * kt
        let chunkBlock = rows * dataChunk + IndirectConvolution.slack
        // The next prepared block's lines, shared between the classes by their panels.
        let blockLines = rows * dataChunk / 16
        let allPanels = (0..<classes.count).reduce(0) { $0 + (classes.columnCount($1) + 5) / 6 }
        let tasks = min(threads, ci)
        Parallel.forEach(tasks) { task in
            let slot = tiles + task * (DataClasses.tileFloats + 16 + chunkBlock + 16)
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)!
            let copy = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot + DataClasses.tileFloats + 16) + 63) & ~63)!
            (copy + rows * dataChunk).update(repeating: 0, count: IndirectConvolution.slack)
            for channel in task * ci / tasks..<(task + 1) * ci / tasks {
                var s0 = 0
                while s0 < S {
                    let length = min(dataChunk, S - s0)
                    let block: UnsafePointer<Float>
                    if let prepared {
                        block = prepared + (channel * dataChunks(g) + s0 / dataChunk) * rows * dataChunk
                    } else {
                        for row in 0..<rows {
                            // Row (co, kt): W[co, channel, kt, s0..<s0 + length].
                            (copy + row * dataChunk).update(
                                from: weight + row / kt * P + (channel * kt + row % kt) * S + s0, count: length)
                        }
                        block = UnsafePointer(copy)
                    }
                    // The next prepared block (this channel's next chunk, or the next channel's
                    // first) comes into L2 while this one computes.
                    let hasNext = s0 + length < S || channel + 1 < (task + 1) * ci / tasks
                    var next = ChunkPrefetch(
                        base: block + rows * dataChunk, rows: prepared != nil && hasNext ? 1 : 0, rowsPerVideo: 1,
                        videoStride: 0, rowStride: 0, linesPerRow: blockLines)
                    for r in 0..<classes.count where classes.columnCount(r) > 0 {
                        // Tile by tile over the whole depth.
                        let start = classes.starts(r)
                        next.lines = next.rows * blockLines * ((classes.columnCount(r) + 5) / 6) / max(1, allPanels)
                        runChunk(
                            depth: co * classes.tapCount(r), columns: classes.columnCount(r),
                            offsets: offsets + start.offsets, packed: packed + start.packed, block: block,
                            length: length, output: gradInput + channel * g.input.t * S + s0,
                            columnOffsets: columnOffsets + start.columns, columnStride: 0, accumulate: false, tile: tile,
                            prefetchRead: &next)
                    }
                    s0 += length
                }
            }
        }
    }

    /// The gradients' GEMM over one chunk block: `IndirectMicroKernels.tile64x6` tiles of 64
    /// positions × 6 columns, output[offset(c) + i] = Σ_d block[offsets[d] + i] · packed[panel][d][c]
    /// for positions i < length and columns c, overwritten or added to (`accumulate`); offset(c) is
    /// `columnOffsets[c]` when given, else c · columnStride. A last tile past `length` reads the
    /// rows' tails (a block's rows are a whole chunk long; a frame read in place is followed by
    /// more of the input) and writes only its first lanes. With `prefetchNext` (where the next
    /// call's output starts; outputs c · columnStride only), each tile prefetches the next tile's
    /// output lines for writing: the weight gradient reads and writes its 180 MB (fcs) once, and
    /// without it every tile waited for them (fcs layer 2: 27.9–28.9 → 21.5–21.6 ms). With
    /// `prefetchRead`, the tiles share out its `lines` (what the next chunk reads) into L2, a few
    /// every 8 depth steps: fcs layer 2's input gradient 13.7–14.7 → 12.4–13.7 ms, fcs-large's
    /// 20.0–20.8 → 16.6–18.0 ms (interleaved); its weight gradient 21.8–22.1 → 19.9–20.5 ms
    /// while it still copied its rows (the same lines fetched between tiles, in one burst per
    /// tile, took 22.6–30.2 ms). With `prefetchOutput` as well, the weight gradient's next chunk
    /// of gradient lines, shared out the same way: `fcs-large`'s 33.3–36.8 → 27.1–31.9 ms with
    /// write prefetches, then 26.6–29.7 → 25.0–27.6 ms (`fcs` 18.4–19.3 → 17.3–18.5) as reads into
    /// L2 (see `ChunkPrefetch`).
    @inline(__always)
    private static func runChunk(
        depth: Int, columns: Int, offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>,
        block: UnsafePointer<Float>, length: Int, output: UnsafeMutablePointer<Float>,
        columnOffsets: UnsafePointer<Float>?, columnStride: Int, accumulate: Bool, tile: UnsafeMutablePointer<Float>,
        prefetchNext: UnsafeMutablePointer<Float>? = nil, prefetchRead: UnsafeMutablePointer<ChunkPrefetch>? = nil,
        prefetchOutput: UnsafeMutablePointer<ChunkPrefetch>? = nil
    ) {
        let panels = (columns + 5) / 6
        // prefetchRead's lines shared out between the tiles, a few every 8 depth steps.
        let points = (length + 63) / 64 * panels * ((depth + 7) / 8)
        let perPoint = prefetchRead.map { ($0.pointee.lines + points - 1) / max(1, points) } ?? 0
        let perPointOutput = prefetchOutput.map { ($0.pointee.lines + points - 1) / max(1, points) } ?? 0
        var lane0 = 0
        while lane0 < length {
            let lanes = min(64, length - lane0)
            for panel in 0..<panels {
                if let prefetchNext {
                    // While this tile computes, the output lines of the panel's next one (the next
                    // 64 lanes, or the next call's first) come in from memory.
                    let ahead = lane0 + 64 < length ? output + lane0 + 64 : prefetchNext
                    for j in 0..<min(6, columns - panel * 6) {
                        let line = ahead + (panel * 6 + j) * columnStride
                        for v in 0..<4 { stg_prefetch_write(line + 16 * v) }
                    }
                }
                IndirectMicroKernels.tile64x6(
                    depth: depth, offsets: offsets, source: block + lane0, weights: packed + panel * depth * 6,
                    into: tile,
                    every8Steps: {
                        prefetchRead?.pointee.next(perPoint)
                        prefetchOutput?.pointee.next(perPointOutput)
                    })
                for j in 0..<min(6, columns - panel * 6) {
                    let c = panel * 6 + j
                    let out = output + lane0
                        + (columnOffsets.map { IndirectConvolution.decode($0[c]) } ?? c * columnStride)
                    let values = UnsafeRawPointer(tile + 64 * j)
                    if lanes == 64 {
                        let target = UnsafeMutableRawPointer(out)
                        for v in 0..<4 {
                            var sum = values.load(fromByteOffset: 64 * v, as: SIMD16<Float>.self)
                            if accumulate { sum += target.loadUnaligned(fromByteOffset: 64 * v, as: SIMD16<Float>.self) }
                            target.storeBytes(of: sum, toByteOffset: 64 * v, as: SIMD16<Float>.self)
                        }
                    } else {
                        let v = tile + 64 * j
                        for i in 0..<lanes { out[i] = accumulate ? out[i] + v[i] : v[i] }
                    }
                }
            }
            lane0 += 64
        }
    }

    /// Lines a chunk's tiles prefetch into L2 for the next chunk, a few at a time: rows of
    /// `linesPerRow` lines, row (n, i) at base + n·videoStride + i·rowStride (one contiguous
    /// block is one row). `lines` is what the tiles of one `runChunk` call share out; the position
    /// carries on from call to call.
    ///
    /// Always as reads, also for the weight gradient's lines of the gradient it adds to: x86's
    /// write prefetch (`prefetchw`) has no form that stops at L2, so it brought 123 KB per
    /// `fcs-large` chunk into the 48 KB L1, where it evicted the rows the tiles read. A read
    /// brings a line no other core holds in exclusive state, which the store then takes without
    /// another request: `fcs-large`'s weight gradient 26.6–29.7 → 25.0–27.6 ms (faster in 10 of
    /// 11 interleaved pairs).
    struct ChunkPrefetch {
        let rows: Int
        let rowsPerVideo: Int
        let videoStride: Int
        let rowStride: Int
        let linesPerRow: Int
        var lines = 0
        private var video: UnsafePointer<Float>  // video n's row 0
        private var current: UnsafePointer<Float>  // the next line
        private var row = 0, rowInVideo = 0, line = 0

        init(
            base: UnsafePointer<Float>, rows: Int, rowsPerVideo: Int, videoStride: Int, rowStride: Int,
            linesPerRow: Int
        ) {
            self.rows = rows
            self.rowsPerVideo = rowsPerVideo
            self.videoStride = videoStride
            self.rowStride = rowStride
            self.linesPerRow = linesPerRow
            video = base
            current = base
        }

        @inline(__always) mutating func next(_ count: Int) {
            var count = count
            while count > 0 && row < rows {
                stg_prefetch_read_l2(current)
                current += 16
                line += 1
                if line == linesPerRow {
                    line = 0
                    row += 1
                    rowInVideo += 1
                    if rowInVideo == rowsPerVideo {
                        rowInVideo = 0
                        video += videoStride
                    }
                    current = video + rowInVideo * rowStride
                }
                count -= 1
            }
        }
    }

    // MARK: Weight gradient

    /// Frame positions per chunk of the weight gradient: the tiles of one input channel's chunk
    /// read its frames' rows in place, fetched into L2 during the previous chunk. (Copying them
    /// into a contiguous block first, as the weight gradient did before, cost 2.8 ms of fcs
    /// layer 2's 20 ms: 19.9–20.6 → 18.6–19.2 ms in place, interleaved.) Chunks of 512: fcs
    /// 18.1–18.2 against 18.7–19.2 ms, fcs-large 27.8–28.3 against 25.7–27.2 ms.
    static let weightChunk = 256

    static func backwardWeightWorkspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let depth = videos * g.output.t
        let block = videos * g.input.t * weightChunk + IndirectConvolution.slack
        return 2 * g.kernel.t * depth + g.kernel.t * IndirectConvolution.roundUp(g.outputChannels, 6) * depth
            + threads * (DataClasses.tileFloats + 16 + block + 16) + 64
    }

    /// Output frames o whose input frame o·st − pt + k of tap k is inside the video.
    static func weightGradientFrames(_ g: Conv3dGeometry, tap k: Int) -> Range<Int> {
        let last = g.input.t - 1 + g.padBefore.t - k  // o·st ≤ last
        guard last >= 0 else { return 0..<0 }
        let first = max(0, IndirectConvolution.ceilDiv(g.padBefore.t - k, g.stride.t))
        return first..<max(first, min(g.output.t, last / g.stride.t + 1))
    }

    /// gradWeight[co, ci, kt, s] += Σ_{n, ot} gradOutput[n, co, ot] · X[n, ci, ot·st − pt + kt, s]:
    /// per input channel and chunk of positions, for each tap k an indirect GEMM (`runChunk`)
    /// whose depth steps are the (n, ot) with the input frame inside the video, reading the
    /// frames' rows in place (one offset per step). Only the last channel's last chunk, whose
    /// last tile would read past the end of the input, copies its rows into a block first (as
    /// does every chunk when the offsets would not fit 32 bits).
    static func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>
    ) {
        let S = g.input.h * g.input.w
        let P = g.patchCount
        let co = g.outputChannels
        let ot = g.output.t
        let kt = g.kernel.t
        let T = g.input.t
        let depth = videos * ot
        let width = 6
        let panels = (co + width - 1) / width
        let inPlaceOffsets = workspace  // per time tap: its depth steps
        let blockOffsets = inPlaceOffsets + kt * depth
        let packed = blockOffsets + kt * depth  // per time tap: panels of its depth steps, back to back
        let tiles = packed + kt * panels * width * depth

        // Step i = (n, o) of tap k reads X[n, ci, it] (it = o·st − pt + k): in place at
        // n·inputCount + it·S from channel ci's frame 0, in a block at row n·T + it.
        for k in 0..<kt {
            let frames = weightGradientFrames(g, tap: k)
            for i in 0..<videos * frames.count {
                let n = i / frames.count
                let o = frames.lowerBound + i % frames.count
                let it = o * g.stride.t - g.padBefore.t + k
                inPlaceOffsets[k * depth + i] = IndirectConvolution.encode(n * g.inputCount + it * S)
                blockOffsets[k * depth + i] = IndirectConvolution.encode((n * T + it) * weightChunk)
                for panel in 0..<panels {
                    for jj in 0..<width {
                        let c = panel * width + jj
                        packed[k * panels * width * depth + (panel * videos * frames.count + i) * width + jj] =
                            c < co ? gradOutput[n * g.outputCount + c * ot + o] : 0
                    }
                }
            }
        }
        let ci = g.inputChannels
        let inPlace = videos * g.inputCount < Int(Int32.max)
        let blockCount = videos * T * weightChunk + IndirectConvolution.slack
        let tasks = min(threads, ci)
        Parallel.forEach(tasks) { task in
            let slot = tiles + task * (DataClasses.tileFloats + 16 + blockCount + 16)
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)!
            let block = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot + DataClasses.tileFloats + 16) + 63) & ~63)!
            (block + videos * T * weightChunk).update(repeating: 0, count: IndirectConvolution.slack)
            let lastChannel = (task + 1) * ci / tasks - 1
            for channel in task * ci / tasks...lastChannel {
                var s0 = 0
                while s0 < S {
                    let length = min(weightChunk, S - s0)
                    // The rows the next chunk reads (this channel's next positions, or the next
                    // channel's first) come into L2 while this one computes.
                    let nextS0 = s0 + length < S ? s0 + length : 0
                    let nextChannel = s0 + length < S ? channel : channel + 1
                    var next = ChunkPrefetch(
                        base: input + nextChannel * T * S + nextS0,
                        rows: nextChannel <= lastChannel ? videos * T : 0,
                        rowsPerVideo: T, videoStride: g.inputCount, rowStride: S,
                        linesPerRow: (min(weightChunk, S - nextS0) + 15) / 16)
                    next.lines = (next.rows * next.linesPerRow + kt - 1) / kt
                    // And the gradient lines it adds to.
                    var nextOutput = ChunkPrefetch(
                        base: gradWeight + nextChannel * kt * S + nextS0,
                        rows: nextChannel <= lastChannel ? co * kt : 0, rowsPerVideo: kt, videoStride: P, rowStride: S,
                        linesPerRow: next.linesPerRow)
                    nextOutput.lines = (nextOutput.rows * nextOutput.linesPerRow + kt - 1) / kt
                    let pastTheEnd = channel == ci - 1 && s0 + length == S && length % 64 != 0
                    var source = input + channel * T * S + s0
                    var offsets = UnsafePointer(inPlaceOffsets)
                    if !inPlace || pastTheEnd {
                        for row in 0..<videos * T {
                            // Row (n, it): X[n, channel, it, s0..<s0 + length].
                            (block + row * weightChunk).update(
                                from: input + row / T * g.inputCount + (channel * T + row % T) * S + s0, count: length)
                        }
                        source = UnsafePointer(block)
                        offsets = UnsafePointer(blockOffsets)
                    }
                    for k in 0..<kt {
                        runChunk(
                            depth: videos * weightGradientFrames(g, tap: k).count, columns: co,
                            offsets: offsets + k * depth, packed: packed + k * panels * width * depth, block: source,
                            length: length, output: gradWeight + (channel * kt + k) * S + s0, columnOffsets: nil,
                            columnStride: P, accumulate: true, tile: tile,
                            prefetchNext: k + 1 < kt ? gradWeight + (channel * kt + k + 1) * S + s0
                                : gradWeight + channel * kt * S + min(S - 1, s0 + length), prefetchRead: &next,
                            prefetchOutput: &nextOutput)
                    }
                    s0 += length
                }
            }
        }
        for c in 0..<co {
            var sum = 0.0
            for n in 0..<videos {
                for o in 0..<ot { sum += Double(gradOutput[n * g.outputCount + c * ot + o]) }
            }
            gradBias[c] += Float(sum)
        }
    }
}
