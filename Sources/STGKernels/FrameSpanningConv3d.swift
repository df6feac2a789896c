import STGTensor

/// Convolutions whose kernel covers whole frames (kernel h × w = input h × w, no spatial padding,
/// so each output frame is 1 × 1): matrix products over frame vectors of S = h·w contiguous floats.
///
/// With segments q = (ci, kt) of the weight (W[co] is Ci·Kt segments of S floats):
/// - forward: y[n, co, ot] = b[co] + Σ_q ⟨W[co, q], X_n[ci, ot·st − pt + kt]⟩, dot products of
///   long vectors (`DotMicroKernel`, 4 filters × 6 output frames per tile, weights streamed once);
/// - backwardData: gradInput[n, ci, it] = Σ_{co, kt} gradOutput[n, co, ot] · W[co, ci, kt] over
///   ot·st − pt + kt = it: for each ci, an indirect GEMM with the weight rows read in place
///   (lanes along S, columns (n, it));
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
        let dataColumns = videos * g.input.t
        let backwardData = g.outputChannels * g.kernel.t
            + IndirectConvolution.roundUp(dataColumns, 12) * g.outputChannels * g.kernel.t + dataColumns + tiles
        let backwardWeight = padded + columns + IndirectConvolution.roundUp(g.outputChannels, 12) * columns + tiles
        return max(forward, backwardData, backwardWeight)
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

    static func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, workspace: UnsafeMutablePointer<Float>, into gradInput: UnsafeMutablePointer<Float>
    ) {
        let l = Layout(g)
        let S = l.frame
        let P = g.patchCount
        let co = g.outputChannels
        let kt = g.kernel.t
        let depth = co * kt
        let columns = videos * g.input.t
        let (lanes, width) = IndirectConvolution.tileShape(channels: columns)
        let panels = (columns + width - 1) / width
        let offsets = workspace
        let packed = offsets + depth
        let columnOffsets = packed + panels * width * depth
        let tiles = columnOffsets + columns

        // Depth step d = (co, kt) reads W[co, ci, kt, s] = W[co·P + (ci·Kt + kt)·S + s].
        for c in 0..<co {
            for k in 0..<kt { offsets[c * kt + k] = IndirectConvolution.encode(c * P + k * S) }
        }
        // Column j = (n, it): coefficient of step (co, kt) is gradOutput[n, co, ot] when
        // ot·st − pt + kt = it for an ot in range, else 0.
        for panel in 0..<panels {
            for c in 0..<co {
                for k in 0..<kt {
                    let out = packed + panel * depth * width + (c * kt + k) * width
                    for jj in 0..<width {
                        let j = panel * width + jj
                        var value: Float = 0
                        if j < columns {
                            let n = j / g.input.t
                            let it = j % g.input.t
                            let shifted = it + g.padBefore.t - k
                            if shifted >= 0 && shifted % g.stride.t == 0 && shifted / g.stride.t < g.output.t {
                                value = gradOutput[n * g.outputCount + c * g.output.t + shifted / g.stride.t]
                            }
                        }
                        out[jj] = value
                    }
                }
            }
        }
        for j in 0..<columns {
            columnOffsets[j] = IndirectConvolution.encode(j / g.input.t * g.inputCount + j % g.input.t * S)
        }
        let ci = g.inputChannels
        let tasks = min(threads, ci)
        Parallel.forEach(tasks) { task in
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: tiles + task * (lanes * width + 16)) + 63) & ~63)!
            for channel in task * ci / tasks..<(task + 1) * ci / tasks {
                // Tile by tile over the whole depth (depth blocks over all tiles measured slower:
                // fcs64 layer 2, 60 GFLOP per CPU-second unblocked, 52 in blocks of 48, 45 of 16).
                IndirectConvolution.runFrame(
                    depth: depth, channels: columns, offsets: offsets, weights: packed,
                    source: weight + channel * kt * S, rows: 1, columns: S, pitch: S,
                    output: gradInput + channel * g.input.t * S, channelStride: 0, rowStride: 0, columnStride: 1,
                    bias: nil, tile: tile, channelOffsets: columnOffsets)
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
