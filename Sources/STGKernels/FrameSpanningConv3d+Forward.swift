import STGTensor

/// The frame-spanning forward with (time tap, filter) pairs along the lanes.
///
/// Input frame it of a video reaches output frame ot through tap kt = it + pt − ot·st, so only
/// the taps of its time class r = (it + pt) mod st (`DataClasses`) reach it. For each input
/// channel ci and class r the weights are prepared as rows of lanes, one row per frame position
/// s: lane j·Co + co holds W[co, ci, r + j·st, s]. Each frame's value at s is broadcast against
/// its class's row, so a frame's accumulator lanes collect, for every tap j and filter co, its
/// share of output frame ot = (it + pt − r)/st − j. The output adds those shares up at the end.
///
/// Against output columns along the lanes (the previous layout): no packed copy of the input per
/// call (the frames are read in place), and lanes that are 94% filled for `fcs` and `fcs-large`
/// (3 + 2 or 2 + 2 taps × 30 filters in 96 + 64 or 64 + 64 lanes) where 54 or 42 output columns
/// filled 64 or 48.
extension FrameSpanningConv3d {
    struct ForwardClasses {
        let classes: DataClasses
        /// Frame positions per chunk: every frame tile of a class sweeps the chunk's prepared rows
        /// (in L2, fetched during the previous chunk) while its own frames stream in once. fcs
        /// layer 2, interleaved: 256 positions 13.8–14.0 ms, 512 13.4–13.7, 1024 13.7–14.2.
        static let chunk = 512
        /// Input channels are summed in this many fixed groups (partial sums added in order at the
        /// end, so results do not depend on the thread count).
        static let maxGroups = 8
        /// Frame slots of each class are rounded up to this (a multiple of both tiles' frames).
        static let slotMultiple = 12

        init(_ g: Conv3dGeometry, videos: Int) {
            classes = DataClasses(g, videos: videos)
        }

        var g: Conv3dGeometry { classes.g }
        var groups: Int { min(Self.maxGroups, g.inputChannels) }

        /// Vectors of class r's lanes, padded to whole tiles: blocks of 6 (96-lane tiles) and at
        /// most one block of 4 (64-lane tiles).
        func vectors(_ r: Int) -> Int {
            let needed = (classes.tapCount(r) * g.outputChannels + 15) / 16
            let rest = needed % 6
            return needed - rest + (rest == 0 ? 0 : rest <= 4 ? 4 : 6)
        }

        func lanes(_ r: Int) -> Int { 16 * vectors(r) }

        /// Vectors and frames of the tiles of the block at vector v0 of class r: 96 lanes × 4
        /// frames, or 64 × 6 for a last block of 4 vectors.
        func block(_ r: Int, at v0: Int) -> (vectors: Int, frames: Int) {
            vectors(r) - v0 == 4 ? (4, 6) : (6, 4)
        }

        /// Kernel calls of class r per chunk (every block, every tile of frames).
        func tiles(_ r: Int) -> Int {
            var count = 0
            var v0 = 0
            while v0 < vectors(r) {
                let b = block(r, at: v0)
                count += (classes.columnCount(r) + b.frames - 1) / b.frames
                v0 += b.vectors
            }
            return count
        }

        /// Floats of one input channel's prepared rows (all classes), and where class r's start.
        var channelCount: Int { classStart(classes.count) }
        func classStart(_ r: Int) -> Int { (0..<r).reduce(0) { $0 + lanes($1) } * g.input.h * g.input.w }

        /// Frame slots of class r (its frames of every video, then idle slots up to whole tiles).
        func slots(_ r: Int) -> Int { IndirectConvolution.roundUp(classes.columnCount(r), Self.slotMultiple) }

        /// Floats of one group's accumulators (all classes), and where class r's start.
        var accumulatorCount: Int { accumulatorStart(classes.count) }
        func accumulatorStart(_ r: Int) -> Int { (0..<r).reduce(0) { $0 + slots($1) * lanes($1) } }

        func workspaceCount(threads: Int) -> Int {
            groups * accumulatorCount + threads * channelCount + 64
        }
    }

    static func forwardPreparedCount(_ g: Conv3dGeometry) -> Int {
        g.inputChannels * ForwardClasses(g, videos: 1).channelCount
    }

    /// Writes every input channel's prepared rows (`ForwardClasses`), channels in order.
    static func prepareForward(
        weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, threads: Int,
        into prepared: UnsafeMutablePointer<Float>
    ) {
        let layout = ForwardClasses(g, videos: 1)
        let ci = g.inputChannels
        let tasks = min(threads, ci)
        Parallel.forEach(tasks) { task in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 16) { rows in
                for channel in task * ci / tasks..<(task + 1) * ci / tasks {
                    prepareForwardChannel(
                        weight: weight, layout, channel: channel, rows: rows.baseAddress!,
                        into: prepared + channel * layout.channelCount)
                }
            }
        }
    }

    /// Channel ci's rows: out[classStart(r) + s·lanes(r) + j·Co + co] = W[co, ci, r + j·st, s]; 16
    /// lanes at a time, by 16 × 16 transposes of 16 weight rows. Padding lanes (past Co·taps)
    /// repeat the class's first row: their sums are never read out.
    private static func prepareForwardChannel(
        weight: UnsafePointer<Float>, _ layout: ForwardClasses, channel ci: Int,
        rows: UnsafeMutablePointer<UnsafePointer<Float>>, into out: UnsafeMutablePointer<Float>
    ) {
        let g = layout.g
        let S = g.input.h * g.input.w
        let S16 = S / 16 * 16
        let co = g.outputChannels
        let P = g.patchCount
        for r in 0..<layout.classes.count {
            let lanes = layout.lanes(r)
            let used = layout.classes.tapCount(r) * co
            let target = out + layout.classStart(r)
            @inline(__always) func row(_ lane: Int) -> UnsafePointer<Float> {
                weight + lane % co * P + (ci * g.kernel.t + r + lane / co * g.stride.t) * S
            }
            for lane0 in stride(from: 0, to: lanes, by: 16) {
                for l in 0..<16 { rows[l] = row(lane0 + l < used ? lane0 + l : 0) }
                var s = 0
                while s < S16 {
                    transpose16(rows: rows, offset: s, target + s * lanes + lane0, lanes)
                    s += 16
                }
                for s in S16..<S {
                    for l in 0..<16 { target[s * lanes + lane0 + l] = rows[l][s] }
                }
            }
        }
    }

    /// y[n, co, ot] = b[co] + Σ_{ci, kt, s} W[co, ci, kt, s] · X[n, ci, ot·st − pt + kt, s],
    /// overwriting output (videos, Co, To). With `prepared` (`prepareForward`) the rows are read
    /// from it; without, each thread writes one input channel's rows at a time.
    static func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, videos: Int,
        geometry g: Conv3dGeometry, threads: Int, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>
    ) {
        let layout = ForwardClasses(g, videos: videos)
        let S = g.input.h * g.input.w
        let accumulators = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: workspace) + 63) & ~63)!
            .bindMemory(to: Float.self, capacity: layout.groups * layout.accumulatorCount)
        let scratchBase = accumulators + layout.groups * layout.accumulatorCount
        let scratchCount = layout.channelCount
        let tasks = min(threads, layout.groups)
        Parallel.forEach(tasks) { task in
            let rows = scratchBase + task * scratchCount
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 16) { pointers in
                for group in task * layout.groups / tasks..<(task + 1) * layout.groups / tasks {
                    let acc = accumulators + group * layout.accumulatorCount
                    acc.update(repeating: 0, count: layout.accumulatorCount)
                    for c in group * g.inputChannels / layout.groups..<(group + 1) * g.inputChannels / layout.groups {
                        let channelRows: UnsafePointer<Float>
                        if let prepared {
                            channelRows = prepared + c * layout.channelCount
                        } else {
                            prepareForwardChannel(
                                weight: weight, layout, channel: c, rows: pointers.baseAddress!, into: rows)
                            channelRows = UnsafePointer(rows)
                        }
                        let lastChannel = (group + 1) * g.inputChannels / layout.groups - 1
                        var s0 = 0
                        while s0 < S {
                            let length = min(ForwardClasses.chunk, S - s0)
                            // What the next chunk reads: this channel's next positions, or the
                            // next channel's first (when prepared; else they are written later).
                            var next: NextChunk? = nil
                            if s0 + length < S {
                                next = NextChunk(
                                    rows: channelRows, s0: s0 + length, length: min(ForwardClasses.chunk, S - s0 - length))
                            } else if let prepared, c < lastChannel {
                                next = NextChunk(
                                    rows: prepared + (c + 1) * layout.channelCount, s0: 0,
                                    length: min(ForwardClasses.chunk, S))
                            }
                            accumulateChunk(
                                input: input, layout, channel: c, positions: s0..<s0 + length, rows: channelRows,
                                next: next, frames: pointers.baseAddress!, into: acc)
                            s0 += length
                        }
                    }
                }
            }
        }
        // y[n, co, ot]: every tap's share from the accumulators of its input frame, groups in order.
        let classes = layout.classes
        let co = g.outputChannels
        for n in 0..<videos {
            for filter in 0..<co {
                for ot in 0..<g.output.t {
                    var sum: Float = 0
                    for group in 0..<layout.groups {
                        let acc = accumulators + group * layout.accumulatorCount
                        for kt in 0..<g.kernel.t {
                            let it = ot * g.stride.t + kt - g.padBefore.t
                            guard it >= 0 && it < g.input.t else { continue }
                            let r = kt % g.stride.t
                            let slot = n * classes.framesPerVideo(r) + (it - classes.firstFrame(r)) / g.stride.t
                            let lane = kt / g.stride.t * co + filter
                            sum += acc[layout.accumulatorStart(r) + slot * layout.lanes(r) + lane]
                        }
                    }
                    output[n * g.outputCount + filter * g.output.t + ot] = bias[filter] + sum
                }
            }
        }
    }

    /// The rows the chunk after the current one reads (one input channel's, from position s0).
    struct NextChunk {
        let rows: UnsafePointer<Float>
        let s0: Int
        let length: Int
    }

    /// Adds one chunk of input channel c's positions to a group's accumulators: for each class,
    /// each block of its lanes and each tile of its frames (slot i holds column(r, i); idle slots
    /// past the class's columns repeat a frame and are never read out), the tile's frames
    /// broadcast against the class's prepared rows.
    ///
    /// The tiles of a class share out the prefetch of its rows for `next`: each tile starts one
    /// share after the previous tile's start (the kernel's whole prefetch points make the shares
    /// overlap a little; the last one may run a few lines past the rows, and a prefetch never
    /// faults). Measured on fcs layer 2, interleaved: 15.4–16.2 ms without, 13.2–13.4 with;
    /// fcs-large 19.9–20.0 against 15.3–16.2 ms. Stepping each tile by what it fetched instead,
    /// so that the last tiles fetch past the next chunk, took 14.2–15.0 ms; prefetching the
    /// tiles' next frames as well made no difference (13.6–13.8 ms).
    @inline(__always)
    private static func accumulateChunk(
        input: UnsafePointer<Float>, _ layout: ForwardClasses, channel c: Int, positions: Range<Int>,
        rows: UnsafePointer<Float>, next: NextChunk?, frames: UnsafeMutablePointer<UnsafePointer<Float>>,
        into acc: UnsafeMutablePointer<Float>
    ) {
        let g = layout.g
        let classes = layout.classes
        let S = g.input.h * g.input.w
        let s0 = positions.lowerBound
        let steps = (positions.count + 15) / 16  // the kernels' prefetch points
        let accVectors = UnsafeMutableRawPointer(acc).assumingMemoryBound(to: SIMD16<Float>.self)
        for r in 0..<classes.count {
            let columns = classes.columnCount(r)
            let vectors = layout.vectors(r)
            let lanes = layout.lanes(r)
            let classRows = rows + layout.classStart(r) + s0 * lanes
            let classAcc = accVectors + layout.accumulatorStart(r) / 16
            var prefetch = classRows
            var perTile = 0
            var prefetchLines = 0  // per prefetch point
            if let next {
                prefetch = next.rows + layout.classStart(r) + next.s0 * lanes
                let lines = (next.length * lanes + 15) / 16
                perTile = (lines + layout.tiles(r) - 1) / max(1, layout.tiles(r))
                prefetchLines = (perTile + steps - 1) / steps
            }
            var v0 = 0
            while v0 < vectors {
                let block = layout.block(r, at: v0)
                var i0 = 0
                while i0 < columns {
                    for f in 0..<block.frames {
                        let i = i0 + f
                        if i < columns {
                            let column = classes.column(r, i)
                            frames[f] = input + column / g.input.t * g.inputCount
                                + (c * g.input.t + column % g.input.t) * S + s0
                        } else {
                            frames[f] = frames[f - 1]  // an idle slot (never read out)
                        }
                    }
                    if block.vectors == 6 {
                        TapLanesMicroKernels.lanes96x4(
                            positions: positions.count, weights: classRows + 16 * v0, pitch: lanes, frames: frames,
                            acc: classAcc + i0 * vectors + v0, accStride: vectors, prefetch: prefetch,
                            prefetchLines: prefetchLines)
                    } else {
                        TapLanesMicroKernels.lanes64x6(
                            positions: positions.count, weights: classRows + 16 * v0, pitch: lanes, frames: frames,
                            acc: classAcc + i0 * vectors + v0, accStride: vectors, prefetch: prefetch,
                            prefetchLines: prefetchLines)
                    }
                    prefetch += 16 * perTile
                    i0 += block.frames
                }
                v0 += block.vectors
            }
        }
    }
}
