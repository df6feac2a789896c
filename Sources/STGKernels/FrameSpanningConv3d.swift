import STGTensor

/// Convolutions whose kernel covers whole frames (kernel h × w = input h × w, no spatial padding,
/// so each output frame is 1 × 1): matrix products over frame vectors of S = h·w contiguous floats.
///
/// With segments q = (ci, kt) of the weight (W[co] is Ci·Kt segments of S floats):
/// - forward: y[n, co, ot] = b[co] + Σ_q ⟨W[co, q], X_n[ci, ot·st − pt + kt]⟩, dot products of
///   long vectors (`DotMicroKernel`, 4 filters × 6 output frames per tile, weights streamed once);
/// - backwardData: gradInput[n, ci, it] = Σ_{co, kt} gradOutput[n, co, ot] · W[co, ci, kt] over
///   ot·st − pt + kt = it: for each ci and time residue of it (`DataClasses`), an indirect GEMM
///   over chunks of the weight rows copied contiguously (lanes along S, columns (n, it));
/// - backwardWeight: gradWeight[co, ci, kt] += Σ_{n, ot} gradOutput[n, co, ot] · X_n[ci, it], the
///   same kind of indirect GEMM per (ci, kt), accumulating.
/// Out-of-range frames read a zero frame of a time-padded copy of the input ("padded input",
/// (videos, Ci, Tp, S)). Parallel over filter tiles, input channels or (ci, kt): every output
/// element has one owner, so results do not depend on the thread count.
package enum FrameSpanningConv3d {
    /// True when `g` has this shape and frames are long enough for the vector kernels.
    package static func applies(_ g: Conv3dGeometry) -> Bool {
        g.kernel.h == g.input.h && g.kernel.w == g.input.w && g.padBefore.h == 0 && g.padBefore.w == 0
            && g.padAfter.h == 0 && g.padAfter.w == 0 && g.input.h * g.input.w >= 128
    }

    struct Layout {
        let frame: Int  // S
        let paddedFrames: Int  // Tp
        let paddedCount: Int  // one video of the padded input
        let segments: Int  // Ci·Kt

        init(_ g: Conv3dGeometry) {
            frame = g.input.h * g.input.w
            paddedFrames = max(g.input.t + g.padBefore.t, (g.output.t - 1) * g.stride.t + g.kernel.t)
            paddedCount = g.inputChannels * paddedFrames * frame
            segments = g.inputChannels * g.kernel.t
        }
    }

    private static let rowTile = 4
    private static let columnTile = 6

    static func workspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let l = Layout(g)
        let columns = videos * g.output.t
        let columnTiles = (columns + columnTile - 1) / columnTile
        let rowTiles = (g.outputChannels + rowTile - 1) / rowTile
        let padded = videos * l.paddedCount + IndirectConvolution.slack
        let forward = padded + columnTiles * columnTile * l.segments + max(rowTiles, g.outputChannels) * columnTiles * 24 * 16 + 16
        let tiles = threads * (128 * 12 + 16) + 64
        let backwardWeight = padded + columns + IndirectConvolution.roundUp(g.outputChannels, 12) * columns + tiles
        return max(forward, backwardDataWorkspaceCount(g, videos: videos, threads: threads), backwardWeight)
    }

    /// Copies every video into the time-padded layout (zero frames outside the input).
    private static func fillPadded(
        _ input: UnsafePointer<Float>, videos: Int, _ g: Conv3dGeometry, _ l: Layout, threads: Int,
        into padded: UnsafeMutablePointer<Float>
    ) {
        let planes = videos * g.inputChannels
        let chunks = min(threads, planes)
        let pt = g.padBefore.t
        Parallel.forEach(chunks) { chunk in
            for index in chunk * planes / chunks..<(chunk + 1) * planes / chunks {
                let n = index / g.inputChannels
                let ci = index % g.inputChannels
                let dst = padded + n * l.paddedCount + ci * l.paddedFrames * l.frame
                dst.update(repeating: 0, count: pt * l.frame)
                dst.advanced(by: pt * l.frame).update(
                    from: input + n * g.inputCount + ci * g.input.volume, count: g.input.t * l.frame)
                let after = l.paddedFrames - pt - g.input.t
                (dst + (pt + g.input.t) * l.frame).update(repeating: 0, count: after * l.frame)
            }
        }
        (padded + videos * l.paddedCount).update(repeating: 0, count: IndirectConvolution.slack)
    }

    // MARK: Forward

    static func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, videos: Int,
        geometry g: Conv3dGeometry, threads: Int, workspace: UnsafeMutablePointer<Float>,
        into output: UnsafeMutablePointer<Float>
    ) {
        let l = Layout(g)
        let S = l.frame
        let P = g.patchCount
        let co = g.outputChannels
        let ot = g.output.t
        let columns = videos * ot
        let columnTiles = (columns + columnTile - 1) / columnTile
        let rowTiles = (co + rowTile - 1) / rowTile
        let padded = workspace
        let table = padded + videos * l.paddedCount + IndirectConvolution.slack
        let accumulators = UnsafeMutableRawPointer(
            bitPattern: (Int(bitPattern: table + columnTiles * columnTile * l.segments) + 63) & ~63)!
            .bindMemory(to: SIMD16<Float>.self, capacity: max(rowTiles, co) * columnTiles * 24)

        fillPadded(input, videos: videos, g, l, threads: threads, into: padded)
        // table[j][q]: start of segment q = (ci, kt) of column j = (n, ot) in the padded input
        // (frame it + pt = ot·st + kt); columns past the end repeat column 0 (results dropped).
        for j in 0..<columnTiles * columnTile {
            let column = j < columns ? j : 0
            let n = column / ot
            let o = column % ot
            for q in 0..<l.segments {
                let ci = q / g.kernel.t
                let kt = q % g.kernel.t
                table[j * l.segments + q] = IndirectConvolution.encode(
                    n * l.paddedCount + (ci * l.paddedFrames + o * g.stride.t + kt) * S)
            }
        }
        let length16 = S / 16 * 16
        // Filters in tiles of 4 (the last tile moves back to stay inside the weight; with fewer
        // than 4 filters, one tile per filter with all 4 rows reading it).
        let tileCount = co >= rowTile ? rowTiles : co
        // Segments per block: the block's frames of every column and of this thread's filters
        // (≈ 512 KB) stay in L2 while all tiles pass over them; the weight streams once.
        let tasks = min(threads, tileCount)
        // The block size depends on the shape only (16 filters' rows assumed per thread), so the
        // grouping of the scalar tails, and with it every result, does not depend on the threads.
        let block = max(1, 131_072 / (S * (columns + min(co, 16))))
        Parallel.forEach(tasks) { task in
            let tiles = task * tileCount / tasks..<(task + 1) * tileCount / tasks
            (accumulators + tiles.lowerBound * columnTiles * 24)
                .update(repeating: SIMD16<Float>(), count: tiles.count * columnTiles * 24)
            var q0 = 0
            while q0 < l.segments {
                let q1 = min(q0 + block, l.segments)
                for tileIndex in tiles {
                    let first = co >= rowTile ? min(tileIndex * rowTile, co - rowTile) : tileIndex
                    let rowStride = co >= rowTile ? P : 0
                    let rows = weight + first * P
                    let acc = accumulators + tileIndex * columnTiles * 24
                    for jt in 0..<columnTiles {
                        let offsets = table + jt * columnTile * l.segments
                        DotMicroKernel.dot4x6(
                            segments: q0..<q1, length: S, length16: length16, rows: rows, rowStride: rowStride,
                            source: padded, columnOffsets: offsets, offsetStride: l.segments, acc: acc + jt * 24)
                        if length16 < S {
                            for r in 0..<rowTile {
                                for c in 0..<columnTile {
                                    var tail: Float = 0
                                    for q in q0..<q1 {
                                        let w = rows + r * rowStride + q * S
                                        let x = padded + IndirectConvolution.decode(offsets[c * l.segments + q])
                                        for i in length16..<S { tail += w[i] * x[i] }
                                    }
                                    acc[jt * 24 + r * columnTile + c][0] += tail
                                }
                            }
                        }
                    }
                }
                q0 = q1
            }
            for tileIndex in tiles {
                let first = co >= rowTile ? min(tileIndex * rowTile, co - rowTile) : tileIndex
                let owned = co >= rowTile ? tileIndex * rowTile..<min(tileIndex * rowTile + rowTile, co) : tileIndex..<tileIndex + 1
                let acc = accumulators + tileIndex * columnTiles * 24
                for filter in owned {
                    let r = filter - first
                    for j in 0..<columns {
                        output[j / ot * g.outputCount + filter * ot + j % ot] =
                            bias[filter] + acc[j / columnTile * 24 + r * columnTile + j % columnTile].sum()
                    }
                }
            }
        }
    }

    // MARK: Input gradient

    /// The input-gradient columns (n, it) split by time residue ρ = (it + pt) mod st: only taps
    /// kt ≡ ρ (mod st) reach such a frame, so each class's GEMM has depth Co·|{kt ≡ ρ}| and no
    /// zero coefficients (with one class for all frames, half of fcs's were zero).
    struct DataClasses {
        /// Per class: its columns j = (n, it), its time taps, its panel width (the micro-kernel
        /// `runFrame` picks for that many columns) and where its packed panels start.
        let columns: [[Int]]
        let taps: [[Int]]
        let widths: [Int]
        let packedStart: [Int]
        let packedCount: Int
        /// Floats of one micro-kernel tile (both tile shapes hold 384).
        static let tileFloats = 384

        init(_ g: Conv3dGeometry, videos: Int) {
            let st = g.stride.t
            var columns = [[Int]](repeating: [], count: st)
            for j in 0..<videos * g.input.t { columns[(j % g.input.t + g.padBefore.t) % st].append(j) }
            var taps = [[Int]](repeating: [], count: st)
            for k in 0..<g.kernel.t { taps[k % st].append(k) }
            widths = columns.map { IndirectConvolution.tileShape(channels: $0.count).width }
            var start = 0
            var starts: [Int] = []
            for r in 0..<st {
                starts.append(start)
                start += IndirectConvolution.roundUp(columns[r].count, widths[r]) * g.outputChannels * taps[r].count
            }
            self.columns = columns
            self.taps = taps
            packedStart = starts
            packedCount = start
        }
    }

    /// Frame positions per chunk of the input gradient: each thread first copies the chunk of
    /// every weight row it needs (Co·Kt rows) into a contiguous block, row after row, and the
    /// tiles read that block. Read in place, every 32-lane tile touched Co·Kt rows far apart, and
    /// the hardware prefetchers could not follow 150 streams (fcs: 35 ms, 140 GFLOP/s).
    static let dataChunk = 256

    static func backwardDataWorkspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let c = DataClasses(g, videos: videos)
        let chunkBlock = g.outputChannels * g.kernel.t * dataChunk + IndirectConvolution.slack
        return g.outputChannels * g.kernel.t + c.packedCount + videos * g.input.t
            + threads * (DataClasses.tileFloats + 16 + chunkBlock + 16) + 64
    }

    static func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, workspace: UnsafeMutablePointer<Float>, into gradInput: UnsafeMutablePointer<Float>
    ) {
        let l = Layout(g)
        let S = l.frame
        let P = g.patchCount
        let co = g.outputChannels
        let classes = DataClasses(g, videos: videos)
        let offsets = workspace  // per class: Co·|taps| steps, classes back to back
        let packed = offsets + co * g.kernel.t
        let columnOffsets = packed + classes.packedCount  // per class: its columns, back to back
        let tiles = columnOffsets + videos * g.input.t

        var offsetStart: [Int] = []
        var columnStart: [Int] = []
        var o = 0
        var c0 = 0
        for (r, taps) in classes.taps.enumerated() {
            offsetStart.append(o)
            columnStart.append(c0)
            let columns = classes.columns[r]
            let width = classes.widths[r]
            let depth = co * taps.count
            // Depth step d = (co, kt) of the class reads row (co, kt) of the chunk block, a copy
            // of W[co, ci, kt, s0..<s0 + chunk] (rows of `dataChunk` floats).
            for c in 0..<co {
                for (i, k) in taps.enumerated() {
                    offsets[o + c * taps.count + i] = IndirectConvolution.encode((c * g.kernel.t + k) * dataChunk)
                }
            }
            // Column j = (n, it): coefficient of step (co, kt) is gradOutput[n, co, ot] with
            // ot·st − pt + kt = it when ot is in range, else 0 (first and last frames only).
            let panels = (columns.count + width - 1) / width
            for panel in 0..<panels {
                for d in 0..<depth {
                    let c = d / taps.count
                    let k = taps[d % taps.count]
                    let out = packed + classes.packedStart[r] + panel * depth * width + d * width
                    for jj in 0..<width {
                        var value: Float = 0
                        if panel * width + jj < columns.count {
                            let j = columns[panel * width + jj]
                            let shifted = j % g.input.t + g.padBefore.t - k
                            if shifted >= 0 && shifted / g.stride.t < g.output.t {
                                value = gradOutput[j / g.input.t * g.outputCount + c * g.output.t + shifted / g.stride.t]
                            }
                        }
                        out[jj] = value
                    }
                }
            }
            for (i, j) in columns.enumerated() {
                columnOffsets[c0 + i] = IndirectConvolution.encode(j / g.input.t * g.inputCount + j % g.input.t * S)
            }
            o += depth
            c0 += columns.count
        }
        let ci = g.inputChannels
        let kt = g.kernel.t
        let rows = co * kt
        let chunkBlock = rows * dataChunk + IndirectConvolution.slack
        let tasks = min(threads, ci)
        Parallel.forEach(tasks) { task in
            let slot = tiles + task * (DataClasses.tileFloats + 16 + chunkBlock + 16)
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)!
            let block = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot + DataClasses.tileFloats + 16) + 63) & ~63)!
            (block + rows * dataChunk).update(repeating: 0, count: IndirectConvolution.slack)
            for channel in task * ci / tasks..<(task + 1) * ci / tasks {
                var s0 = 0
                while s0 < S {
                    let length = min(dataChunk, S - s0)
                    for row in 0..<rows {
                        // Row (co, kt): W[co, channel, kt, s0..<s0 + length].
                        (block + row * dataChunk).update(
                            from: weight + row / kt * P + (channel * kt + row % kt) * S + s0, count: length)
                    }
                    for r in 0..<classes.taps.count where !classes.columns[r].isEmpty {
                        // Tile by tile over the whole depth.
                        IndirectConvolution.runFrame(
                            depth: co * classes.taps[r].count, channels: classes.columns[r].count,
                            offsets: offsets + offsetStart[r], weights: packed + classes.packedStart[r],
                            source: block, rows: 1, columns: length, pitch: dataChunk,
                            output: gradInput + channel * g.input.t * S + s0, channelStride: 0, rowStride: 0,
                            columnStride: 1, bias: nil, tile: tile, channelOffsets: columnOffsets + columnStart[r])
                    }
                    s0 += length
                }
            }
        }
    }

    // MARK: Weight gradient

    static func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>
    ) {
        let l = Layout(g)
        let S = l.frame
        let P = g.patchCount
        let co = g.outputChannels
        let ot = g.output.t
        let depth = videos * ot
        let (lanes, width) = IndirectConvolution.tileShape(channels: co)
        let panels = (co + width - 1) / width
        let padded = workspace
        let offsets = padded + videos * l.paddedCount + IndirectConvolution.slack
        let packed = offsets + depth
        let tiles = packed + panels * width * depth

        fillPadded(input, videos: videos, g, l, threads: threads, into: padded)
        // Depth step d = (n, ot) reads padded frame ot·st + kt of video n (kt, ci in the base).
        for d in 0..<depth {
            offsets[d] = IndirectConvolution.encode(d / ot * l.paddedCount + d % ot * g.stride.t * S)
        }
        for panel in 0..<panels {
            for d in 0..<depth {
                for jj in 0..<width {
                    let c = panel * width + jj
                    packed[panel * depth * width + d * width + jj] =
                        c < co ? gradOutput[d / ot * g.outputCount + c * ot + d % ot] : 0
                }
            }
        }
        let kt = g.kernel.t
        let items = l.segments
        let tasks = min(threads, items)
        Parallel.forEach(tasks) { task in
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: tiles + task * (lanes * width + 16)) + 63) & ~63)!
            for q in task * items / tasks..<(task + 1) * items / tasks {
                let ci = q / kt
                let k = q % kt
                IndirectConvolution.runFrame(
                    depth: depth, channels: co, offsets: offsets, weights: packed,
                    source: padded + (ci * l.paddedFrames + k) * S, rows: 1, columns: S, pitch: S,
                    output: gradWeight + q * S, channelStride: P, rowStride: 0, columnStride: 1,
                    bias: nil, tile: tile, accumulate: true)
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
