import STGTensor

/// The weight gradient as dot products over the forward's virtual output grid.
///
/// gradWeight[co, d] = Σ_{n, f, q} gradOutput'[co, n, f, q] · phase source_n[f·Ah·Aw + q + offsets[d]],
/// where d = (ci, kt, kh, kw) is the forward's depth step, q = oh·Aw + ow runs over one output
/// frame of the phase grid, and gradOutput' ("gradient on the grid", (outputChannels, videos,
/// output.t, output.h·Aw)) is gradOutput with zeros in the columns ow ≥ output.w, which cancel
/// the lanes the forward computes and drops. Both operands are contiguous along q, so this is
/// `DotMicroKernel`'s 4 × 6 tile of long dot products (filters × depth steps), with no column
/// matrix; each weight-gradient element gets one sum, added in a fixed order.
extension IndirectConvolution {
    struct WeightGradientLayout {
        let forward: ForwardLayout
        let frameLength: Int  // Q = output.h · Aw
        let gridCount: Int  // gradient on the grid, all videos
        let columnTiles: Int
        let rowTiles: Int
        let segments: Int  // videos · output.t

        init(_ g: Conv3dGeometry, videos: Int) {
            forward = ForwardLayout(g)
            frameLength = g.output.h * forward.a.w
            segments = videos * g.output.t
            gridCount = g.outputChannels * segments * frameLength
            columnTiles = (g.patchCount + 5) / 6
            rowTiles = (g.outputChannels + 3) / 4
        }
    }

    /// True when one video's phase source fits in L2-sized reach (≤ 2^20 floats): every filter
    /// tile sweeps all of it; and the stride is at most 2 (at most 8 phases), since with more
    /// phases the dot products run over short frames. Measured per CPU-second (indirect vs
    /// columns + GEMM): fcs64 layer 1 (1.3 MB) 182 vs 111 GFLOP/s; fcs layer 1 (10 MB) 100 vs
    /// 107; st layer 1 (stride 7, 14 MB) 35 vs 96; fcs-large layer 1 (50 MB) 54 vs 101. st
    /// 32×64×64's layer 1 (stride 7, 4 MB) fits the size but not the stride: 54.5 ms indirect,
    /// 18.2 ms on columns (2 threads).
    static func prefersIndirectWeightGradient(_ g: Conv3dGeometry) -> Bool {
        let l = ForwardLayout(g)
        return g.inputChannels * l.phases * l.phaseVolume <= 1 << 20 && l.phases <= 8
    }

    /// Scratch for `backwardWeight` (one video at a time, whatever the batch).
    static func weightGradientWorkspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let l = WeightGradientLayout(g, videos: 1)
        return videos * l.forward.sourceCount + l.gridCount + l.columnTiles * 6 * l.segments
            + max(l.rowTiles, g.outputChannels) * 24 * 16 + 64
    }

    /// gradWeight += Σ_videos corr(input, gradOutput), gradBias += Σ gradOutput (accumulating),
    /// one video after the other (the gradient on the grid is as large as gradOutput).
    static func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>
    ) {
        for n in 0..<videos {
            backwardWeightBatch(
                input: input + n * g.inputCount, gradOutput: gradOutput + n * g.outputCount, videos: 1, geometry: g,
                threads: threads, workspace: workspace, addingInto: gradWeight, gradBias: gradBias)
        }
    }

    private static func backwardWeightBatch(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>
    ) {
        let l = WeightGradientLayout(g, videos: videos)
        let f = l.forward
        let co = g.outputChannels
        let P = g.patchCount
        let Q = l.frameLength
        let sources = workspace
        let grid = sources + videos * f.sourceCount
        let table = grid + l.gridCount
        let accumulators = UnsafeMutableRawPointer(
            bitPattern: (Int(bitPattern: table + l.columnTiles * 6 * l.segments) + 63) & ~63)!
            .bindMemory(to: SIMD16<Float>.self, capacity: max(l.rowTiles, co) * 24)

        // Phase sources (as in forward) and the gradient on the grid, in parallel.
        let planes = videos * g.inputChannels * f.phases
        let gridRows = co * l.segments
        Parallel.forEach(min(threads, planes + gridRows)) { chunk in
            let chunks = min(threads, planes + gridRows)
            for index in chunk * (planes + gridRows) / chunks..<(chunk + 1) * (planes + gridRows) / chunks {
                if index < planes {
                    let n = index / (g.inputChannels * f.phases)
                    let rest = index % (g.inputChannels * f.phases)
                    fillPhasePlane(
                        input + n * g.inputCount, g, f, channel: rest / f.phases, phase: rest % f.phases,
                        into: sources + n * f.sourceCount + rest * f.phaseVolume)
                    if rest == g.inputChannels * f.phases - 1 {
                        (sources + n * f.sourceCount + g.inputChannels * f.phases * f.phaseVolume)
                            .update(repeating: 0, count: f.sourceCount - g.inputChannels * f.phases * f.phaseVolume)
                    }
                } else {
                    // Row (c, n, t) of the gradient on the grid.
                    let row = index - planes
                    let c = row / l.segments
                    let n = (row % l.segments) / g.output.t
                    let t = row % g.output.t
                    let dst = grid + row * Q
                    let src = gradOutput + n * g.outputCount + (c * g.output.t + t) * g.output.h * g.output.w
                    dst.update(repeating: 0, count: Q)
                    for oh in 0..<g.output.h {
                        (dst + oh * f.a.w).update(from: src + oh * g.output.w, count: g.output.w)
                    }
                }
            }
        }
        // table[j][(n, t)]: where depth step j's vector of segment (n, t) starts in the sources.
        let k = g.kernel
        for j in 0..<l.columnTiles * 6 {
            let d = min(j, P - 1)
            let kw = d % k.w
            let kh = (d / k.w) % k.h
            let kt = (d / (k.w * k.h)) % k.t
            let ci = d / k.volume
            let offset = f.tapOffset(g, channel: ci, kt: kt, kh: kh, kw: kw)
            for segment in 0..<l.segments {
                let n = segment / g.output.t
                let t = segment % g.output.t
                table[j * l.segments + segment] = encode(n * f.sourceCount + t * f.a.h * f.a.w + offset)
            }
        }
        let length16 = Q / 16 * 16
        let tileCount = co >= 4 ? l.rowTiles : co
        let tasks = min(threads, tileCount)
        Parallel.forEach(tasks) { task in
            let acc = accumulators + task * 24
            for tileIndex in task * tileCount / tasks..<(task + 1) * tileCount / tasks {
                // Filters first..<first+4 (the last tile moves back; with fewer than 4 filters one
                // tile per filter, all 4 rows reading it).
                let first = co >= 4 ? min(tileIndex * 4, co - 4) : tileIndex
                let rowStride = co >= 4 ? l.segments * Q : 0
                let rows = grid + first * l.segments * Q
                let owned = co >= 4 ? tileIndex * 4..<min(tileIndex * 4 + 4, co) : tileIndex..<tileIndex + 1
                for jt in 0..<l.columnTiles {
                    acc.update(repeating: SIMD16<Float>(), count: 24)
                    let offsets = table + jt * 6 * l.segments
                    DotMicroKernel.dot4x6(
                        segments: 0..<l.segments, length: Q, length16: length16, rows: rows, rowStride: rowStride,
                        source: sources, columnOffsets: offsets, offsetStride: l.segments, acc: acc)
                    for filter in owned {
                        let r = filter - first
                        for c in 0..<min(6, P - jt * 6) {
                            var total = acc[r * 6 + c].sum()
                            if length16 < Q {
                                for segment in 0..<l.segments {
                                    let a = rows + r * rowStride + segment * Q
                                    let b = sources + decode(offsets[c * l.segments + segment])
                                    for i in length16..<Q { total += a[i] * b[i] }
                                }
                            }
                            gradWeight[filter * P + jt * 6 + c] += total
                        }
                    }
                }
            }
        }
        for n in 0..<videos { BiasGradient.add(gradOutput: gradOutput + n * g.outputCount, geometry: g, into: gradBias) }
    }
}
