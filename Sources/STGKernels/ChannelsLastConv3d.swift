import STGTensor

/// Direct convolution on a channels-last copy, for layers with a small output and a large kernel
/// (`st`'s 7³ stride-3 second layer: 100 outputs per video, 41 160 floats per receptive field),
/// where vol2col writes each input value (kernel/stride)³ ≈ 13 times for only 2·C_out flops each.
///
/// Both ops read a zero-padded channels-last copy of their source instead of columns:
/// padded extent E = (output − 1)·stride + kernel per axis; padded coordinate = input coordinate +
/// padBefore; site (t, h, w) of video n holds C contiguous channels.
/// - forward: y[n, co, o] = b[co] + Σ_tap Σ_ci Wp[tap, ci, co] · Xc[n, o·s + tap, ci]. Lanes run
///   along co (48 per tile), 8 output positions per tile, one scalar of Xc broadcast per position
///   and depth step; along kw the taps of one (kt, kh) row are contiguous in both Xc and Wp, so
///   one micro-kernel call sums kw·ci depth steps. Parallel over tiles; the packed weight is walked
///   in blocks of (kt, kh) rows that stay in L2 while every tile of the task passes over them.
/// - backwardData: dXc[n, o·s + tap, ci] += Σ_co Wq[tap, co, ci] · dY[n, co, o] (scatter form of
///   the transposed convolution). Lanes run along ci (64 per tile), 6 output positions per tile;
///   parallel over (video, 64-channel group), so every element of dXc has one owner and a fixed
///   order of additions (taps, then positions). dXc is then copied back to (C, T, H, W).
/// The weight gradient stays on columns: it runs once per learning iteration, not per Langevin step.
///
/// Results do not depend on the thread count. No allocation: all scratch is in the workspace.
package enum ChannelsLastConv3d {
    /// Channels per forward tile (three SIMD16) and positions per forward tile.
    static let forwardLanes = 48
    static let forwardPositions = 8
    /// Channels per input-gradient tile (four SIMD16) and positions per input-gradient tile.
    static let dataLanes = 64
    static let dataPositions = 6
    /// Bytes of packed weight one forward block keeps in L2.
    static let forwardBlockBytes = 256 * 1024

    struct Layout {
        /// Padded extent per axis: (output − 1)·stride + kernel.
        let extent: Axis3
        /// Sites (t, h, w) of one padded video.
        let sites: Int
        let taps: Int

        init(_ g: Conv3dGeometry) {
            extent = Axis3(
                t: (g.output.t - 1) * g.stride.t + g.kernel.t,
                h: (g.output.h - 1) * g.stride.h + g.kernel.h,
                w: (g.output.w - 1) * g.stride.w + g.kernel.w)
            sites = extent.volume
            taps = g.kernel.volume
        }

        /// Site of output position `r` (row-major over output t, h, w) at tap (0, 0, 0).
        @inline(__always) func site(_ r: Int, _ g: Conv3dGeometry) -> Int {
            let ow = r % g.output.w
            let oh = r / g.output.w % g.output.h
            let ot = r / (g.output.w * g.output.h)
            return ((ot * g.stride.t) * extent.h + oh * g.stride.h) * extent.w + ow * g.stride.w
        }
    }

    @inline(__always) static func roundUp(_ x: Int, _ r: Int) -> Int { (x + r - 1) / r * r }

    @inline(__always) private static func aligned(_ p: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        UnsafeMutablePointer(bitPattern: (Int(bitPattern: p) + 63) & ~63)!
    }

    // MARK: Forward

    static func forwardWorkspaceCount(_ g: Conv3dGeometry, videos: Int) -> Int {
        let l = Layout(g)
        let coP = roundUp(g.outputChannels, forwardLanes)
        let tiles = coP / forwardLanes * ((videos * g.output.volume + forwardPositions - 1) / forwardPositions)
        return videos * l.sites * g.inputChannels + l.taps * g.inputChannels * coP + tiles * 24 * 16 + 16
    }

    /// output (videos, co, T, H, W) = conv(input (videos, ci, T, H, W), weight (co, ci, kt, kh, kw)) + bias,
    /// overwriting output.
    /// Floats of `prepareForward`: the packed weight Wp (taps, ci, co rounded up to 48).
    static func forwardPreparedCount(_ g: Conv3dGeometry) -> Int {
        g.kernel.volume * g.inputChannels * roundUp(g.outputChannels, forwardLanes)
    }

    /// Wp[tap, c, o] = W[o, c, tap], lanes o ≥ co zero.
    static func prepareForward(weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, into prepared: UnsafeMutablePointer<Float>) {
        packTapMajor(weight, g, filtersInLanes: true, lanes: roundUp(g.outputChannels, forwardLanes), into: prepared)
    }

    /// `prepared`: from `prepareForward`, or nil to pack the weight in the workspace.
    static func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, videos: Int,
        geometry g: Conv3dGeometry, threads: Int, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>
    ) {
        let l = Layout(g)
        let ci = g.inputChannels
        let co = g.outputChannels
        let coP = roundUp(co, forwardLanes)
        let L = g.output.volume
        let positions = videos * L
        let positionTiles = (positions + forwardPositions - 1) / forwardPositions
        let channelTiles = coP / forwardLanes
        let tiles = channelTiles * positionTiles
        let source = workspace  // (videos, Et, Eh, Ew, ci)
        let own = source + videos * l.sites * ci  // Wp (taps, ci, coP) when not prepared
        let accumulators = UnsafeMutableRawPointer(aligned(own + l.taps * ci * coP))
            .bindMemory(to: SIMD16<Float>.self, capacity: tiles * 24)

        fillChannelsLast(input, videos: videos, channels: ci, stride: ci, g, l, into: source)
        if prepared == nil { prepareForward(weight: weight, geometry: g, into: own) }
        let packed = prepared ?? UnsafePointer(own)
        let rows = g.kernel.t * g.kernel.h  // tap rows (kt, kh), kw taps each
        let rowDepth = g.kernel.w * ci
        let rowBytes = rowDepth * coP * 4
        let blockRows = max(1, min(rows, forwardBlockBytes / rowBytes))
        // Contiguous runs of tiles (sharing source sites), a few per thread for balance.
        let tasks = min(tiles, max(1, threads) * 4)
        let videoFloats = l.sites * ci
        Parallel.forEach(tasks) { task in
            let taskTiles = task * tiles / tasks..<(task + 1) * tiles / tasks
            var row0 = 0
            while row0 < rows {
                let row1 = min(rows, row0 + blockRows)
                for tile in taskTiles {
                    let channelTile = tile % channelTiles
                    let first = tile / channelTiles * forwardPositions
                    let acc = accumulators + tile * 24
                    if row0 == 0 { acc.update(repeating: SIMD16<Float>(), count: 24) }
                    // Source of each position at tap (0, 0, 0); positions past the end repeat the
                    // last one (their sums are dropped).
                    @inline(__always) func start(_ j: Int) -> UnsafePointer<Float> {
                        let p = min(first + j, positions - 1)
                        return UnsafePointer(source + (p / L) * videoFloats + l.site(p % L, g) * ci)
                    }
                    let s0 = start(0), s1 = start(1), s2 = start(2), s3 = start(3)
                    let s4 = start(4), s5 = start(5), s6 = start(6), s7 = start(7)
                    for row in row0..<row1 {
                        let kt = row / g.kernel.h
                        let kh = row % g.kernel.h
                        let tapOffset = (kt * l.extent.h + kh) * l.extent.w * ci
                        ChannelsLastMicroKernels.tile48x8(
                            depth: rowDepth, panel: packed + row * rowDepth * coP + channelTile * forwardLanes,
                            panelStride: coP,
                            x0: s0 + tapOffset, x1: s1 + tapOffset, x2: s2 + tapOffset, x3: s3 + tapOffset,
                            x4: s4 + tapOffset, x5: s5 + tapOffset, x6: s6 + tapOffset, x7: s7 + tapOffset,
                            acc: acc)
                    }
                }
                row0 = row1
            }
            // acc[v·8 + j] lane i is filter channelTile·48 + 16v + i at position first + j.
            for tile in taskTiles {
                let channelTile = tile % channelTiles
                let first = tile / channelTiles * forwardPositions
                let acc = accumulators + tile * 24
                for j in 0..<min(forwardPositions, positions - first) {
                    let p = first + j
                    let y = output + (p / L) * g.outputCount + p % L
                    for v in 0..<3 {
                        let lanes = acc[v * 8 + j]
                        for i in 0..<16 {
                            let o = channelTile * forwardLanes + 16 * v + i
                            if o < co { y[o * L] = bias[o] + lanes[i] }
                        }
                    }
                }
            }
        }
    }

    /// Packs weight (co, ci, taps) tap-major: with `filtersInLanes`, packed[tap, c, o] = W[o, c, tap]
    /// (lanes o, `lanes` wide); otherwise packed[tap, o, c] = W[o, c, tap] (lanes c). Lanes past
    /// the channel count are zero. Blocks of 16 taps: each read is one cache line of W, and the
    /// writes of a block go to 16 contiguous runs (strides of a whole tap would alias in L1).
    private static func packTapMajor(
        _ weight: UnsafePointer<Float>, _ g: Conv3dGeometry, filtersInLanes: Bool, lanes: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
        let taps = g.kernel.volume
        let ci = g.inputChannels
        let outer = filtersInLanes ? ci : g.outputChannels
        let inner = filtersInLanes ? g.outputChannels : ci
        Parallel.forEach((taps + 15) / 16) { block in
            let t0 = block * 16
            let t1 = min(taps, t0 + 16)
            for a in 0..<outer {
                for b in 0..<inner {
                    let src = weight + (filtersInLanes ? b * ci + a : a * ci + b) * taps
                    for tap in t0..<t1 { packed[(tap * outer + a) * lanes + b] = src[tap] }
                }
                if inner < lanes {
                    for tap in t0..<t1 { (packed + (tap * outer + a) * lanes + inner).update(repeating: 0, count: lanes - inner) }
                }
            }
        }
    }

    /// Copies videos (videos, C, T, H, W) into the zero-padded channels-last layout
    /// (videos, Et, Eh, Ew, stride) with channels 0..<C filled and channels C..<stride zero.
    private static func fillChannelsLast(
        _ input: UnsafePointer<Float>, videos: Int, channels: Int, stride: Int, _ g: Conv3dGeometry, _ l: Layout,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let plane = l.extent.h * l.extent.w
        Parallel.forEach(videos * l.extent.t) { frame in
            let n = frame / l.extent.t
            let et = frame % l.extent.t
            let it = et - g.padBefore.t
            let dst = destination + frame * plane * stride
            dst.update(repeating: 0, count: plane * stride)
            guard it >= 0 && it < g.input.t else { return }
            let h0 = max(0, g.padBefore.h), h1 = min(l.extent.h, g.padBefore.h + g.input.h)
            let w0 = max(0, g.padBefore.w), w1 = min(l.extent.w, g.padBefore.w + g.input.w)
            if h0 >= h1 || w0 >= w1 { return }
            for c in 0..<channels {
                let src = input + n * channels * g.input.volume + c * g.input.volume + it * g.input.h * g.input.w
                for eh in h0..<h1 {
                    let row = src + (eh - g.padBefore.h) * g.input.w - g.padBefore.w
                    let out = dst + eh * l.extent.w * stride + c
                    for ew in w0..<w1 { out[ew * stride] = row[ew] }
                }
            }
        }
    }

    // MARK: Input gradient

    static func backwardDataWorkspaceCount(_ g: Conv3dGeometry, videos: Int) -> Int {
        let l = Layout(g)
        let ciP = roundUp(g.inputChannels, dataLanes)
        return videos * l.sites * ciP + l.taps * g.outputChannels * ciP + videos * g.output.volume * g.outputChannels
    }

    /// gradInput (videos, ci, T, H, W) = convᵀ(gradOutput (videos, co, To, Ho, Wo), weight
    /// (co, ci, kt, kh, kw)), overwriting gradInput.
    /// Floats of `prepareBackwardData`: the packed weight Wq (taps, co, ci rounded up to 64).
    static func backwardDataPreparedCount(_ g: Conv3dGeometry) -> Int {
        g.kernel.volume * g.outputChannels * roundUp(g.inputChannels, dataLanes)
    }

    /// Wq[tap, o, c] = W[o, c, tap], lanes c ≥ ci zero.
    static func prepareBackwardData(weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, into prepared: UnsafeMutablePointer<Float>) {
        packTapMajor(weight, g, filtersInLanes: false, lanes: roundUp(g.inputChannels, dataLanes), into: prepared)
    }

    /// `prepared`: from `prepareBackwardData`, or nil to pack the weight in the workspace.
    static func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, prepared: UnsafePointer<Float>?, workspace: UnsafeMutablePointer<Float>,
        into gradInput: UnsafeMutablePointer<Float>
    ) {
        let l = Layout(g)
        let ci = g.inputChannels
        let co = g.outputChannels
        let ciP = roundUp(ci, dataLanes)
        let groups = ciP / dataLanes
        let L = g.output.volume
        let gradSource = workspace  // dXc (videos, Et, Eh, Ew, ciP)
        let own = gradSource + videos * l.sites * ciP  // Wq (taps, co, ciP) when not prepared
        let gradRows = own + l.taps * co * ciP  // dYt (videos · L, co)

        if prepared == nil { prepareBackwardData(weight: weight, geometry: g, into: own) }
        let packed = prepared ?? UnsafePointer(own)
        Parallel.forEach(videos) { n in
            let dy = gradOutput + n * g.outputCount
            let rowsOut = gradRows + n * L * co
            for o in 0..<co {
                for r in 0..<L { rowsOut[r * co + o] = dy[o * L + r] }
            }
        }
        let videoFloats = l.sites * ciP
        Parallel.forEach(videos * groups) { task in
            let n = task / groups
            let group = task % groups
            let dst = gradSource + n * videoFloats + group * dataLanes
            // This task's channels of every site of video n start at zero.
            for site in 0..<l.sites { (dst + site * ciP).update(repeating: 0, count: dataLanes) }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: dataLanes) { buffer in
                // Where the tile's unused positions (past the last one) add their sums.
                let discard = buffer.baseAddress!
                discard.initialize(repeating: 0, count: dataLanes)
                for tap in 0..<l.taps {
                    let kw = tap % g.kernel.w
                    let kh = tap / g.kernel.w % g.kernel.h
                    let kt = tap / (g.kernel.w * g.kernel.h)
                    let tapSite = (kt * l.extent.h + kh) * l.extent.w + kw
                    let panel = packed + tap * co * ciP + group * dataLanes
                    var first = 0
                    while first < L {
                        let count = min(dataPositions, L - first)
                        @inline(__always) func row(_ j: Int) -> UnsafePointer<Float> {
                            UnsafePointer(gradRows + (n * L + first + min(j, count - 1)) * co)
                        }
                        // The 64 channels of this group at the site position first + j reaches
                        // through this tap (distinct positions reach distinct sites).
                        @inline(__always) func target(_ j: Int) -> UnsafeMutablePointer<Float> {
                            j < count ? dst + (l.site(first + j, g) + tapSite) * ciP : discard
                        }
                        ChannelsLastMicroKernels.tile64x6(
                            depth: co, panel: panel, panelStride: ciP,
                            x0: row(0), x1: row(1), x2: row(2), x3: row(3), x4: row(4), x5: row(5),
                            adding: target(0), target(1), target(2), target(3), target(4), target(5))
                        first += count
                    }
                }
            }
        }
        // Back to (ci, T, H, W); input positions past the padded extent get no gradient.
        let frame = g.input.h * g.input.w
        Parallel.forEach(videos * ci) { index in
            let n = index / ci
            let c = index % ci
            let out = gradInput + index * g.input.volume
            let src = gradSource + n * videoFloats + c
            for it in 0..<g.input.t {
                let et = it + g.padBefore.t
                for ih in 0..<g.input.h {
                    let eh = ih + g.padBefore.h
                    let row = out + it * frame + ih * g.input.w
                    if et >= l.extent.t || eh >= l.extent.h {
                        row.update(repeating: 0, count: g.input.w)
                        continue
                    }
                    let line = src + ((et * l.extent.h + eh) * l.extent.w + g.padBefore.w) * ciP
                    for iw in 0..<g.input.w {
                        row[iw] = iw + g.padBefore.w < l.extent.w ? line[iw * ciP] : 0
                    }
                }
            }
        }
    }
}
