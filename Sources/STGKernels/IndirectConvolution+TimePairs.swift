import STGTensor

/// The row-tile forward on pairs of output frames, with Winograd's F(2, 2) along time (st's
/// first layer: 15³ kernel, stride 7).
///
/// With time stride s and s < Kt ≤ 2s + 1, tap kt = ρ + s·m of time phase ρ < s has m ∈ {0, 1},
/// and m = 2 for kt = 2s when Kt = 2s + 1. With F(a) the phase source's frame a of phase ρ (input
/// frame s·a + ρ − pt), the two taps of phase ρ give
///
///     y(o) ∋ w0·F(o) + w1·F(o + 1),    y(o + 1) ∋ w0·F(o + 1) + w1·F(o + 2),
///
/// which F(2, 2) makes with three products instead of four:
///
///     A0 = w0·(F(o) − F(o + 1)),  A1 = (w0 + w1)·F(o + 1),  A2 = w1·(F(o + 2) − F(o + 1)),
///     y(o) = A0 + A1,  y(o + 1) = A1 + A2.
///
/// The tap kt = 2s adds w2·F(o + 2) to A0 and w2·F(o + 3) to A2 directly (in the row tiles;
/// the flat tiles take any Kt, the taps of each phase in groups of two, ρ + 2qs and
/// ρ + (2q + 1)s, each group the same algebra on the frames 2q on). Per pair and input
/// channel that is 3s + 2 tap blocks instead of 2·Kt (st: 23 instead of 30). The differences are
/// made per pair and input channel into a per-thread buffer (0.8 MB for st), so
/// they are read from L2 and never stored for a whole video. Phases ρ ≥ Kt − s (one tap only)
/// have w1 = 0, so the formulas hold for them too.
extension IndirectConvolution {
    /// True for a time stride of at least 2 with s < Kt, at least two output frames, and 12-filter
    /// panels; the pairs then run in row tiles (`prefersForwardRows`, Kt ≤ 2s + 1) or, for wider
    /// frames and at least `minimumFlatPairFrames` output frames, in `runFrame`'s flat tiles
    /// (`forwardTimePairsFlat`, any Kt: taps in groups of two per phase). Prepared weights,
    /// workspace and dispatch all follow this.
    package static func prefersTimePairs(_ g: Conv3dGeometry) -> Bool {
        let s = g.stride.t
        guard ForwardLayout(g).lanes == 32, s >= 2, g.kernel.t > s, g.output.t >= 2 else { return false }
        if prefersForwardRows(g) { return g.kernel.t <= 2 * s + 1 }
        return g.output.t >= minimumFlatPairFrames
    }

    /// Sizes of the time-pair forward's prepared part and per-thread buffers.
    struct TimePairs {
        /// Depth steps of the blocks (ρ, ci) for ρ < s: A1's weight panels and the differences'
        /// offsets have this depth.
        let depth: Int
        let packedCount: Int
        /// One input channel's differences: for each of the s_t·s_h·s_w phases, frames
        /// F(o) − F(o + 1) and F(o + 2) − F(o + 1) of a_h × a_w.
        let differencesCount: Int
        let frame: Int  // a_h · a_w
        /// Groups of two taps per phase (taps ρ + 2qs and ρ + (2q + 1)s for group q) whose A1
        /// panels are prepared and run: in the flat tiles all of them (2 for fcs-large's first
        /// layer, the second with tap 2s alone, and for fcs's: 0, 2 | 4, 6 and 1, 3 | 5); in the
        /// row tiles only the first (they take tap 2s directly).
        let groups: Int

        init(_ g: Conv3dGeometry, _ l: ForwardLayout) {
            depth = g.stride.t * g.inputChannels * g.kernel.h * g.kernel.w
            packedCount = roundUp(g.outputChannels, l.width) * depth
            groups = prefersForwardRows(g) ? 1 : ((g.kernel.t + g.stride.t - 1) / g.stride.t + 1) / 2
            frame = l.a.h * l.a.w
            differencesCount = l.phases * 2 * frame + l.a.w + IndirectConvolution.slack
        }

        /// Prepared floats after the direct forward's: the differences' offsets, then A1's panels
        /// of each group.
        var preparedCount: Int { depth + groups * packedCount }

        /// Phases ρ < s whose first tap of group q exists (ρ + 2qs < Kt), and second.
        func taps(_ g: Conv3dGeometry, group q: Int) -> (first: Int, second: Int) {
            let s = g.stride.t
            return (min(s, max(0, g.kernel.t - 2 * q * s)), min(s, max(0, g.kernel.t - (2 * q + 1) * s)))
        }

        /// The flat pairs' differences: every input channel's, channel after channel.
        func flatDifferencesCount(_ g: Conv3dGeometry, _ l: ForwardLayout) -> Int {
            g.inputChannels * l.phases * 2 * frame + l.a.w + IndirectConvolution.slack
        }
    }

    /// The prepared part of the time pairs (after the direct offsets and panels): offsets of
    /// depth steps (ρ, ci, kh, kw) into one channel's differences (frame 0), then weight panels
    /// packed[q][panel][d][j] = W[filter, ci, ρ + 2qs, kh, kw] + W[filter, ci, ρ + (2q + 1)s, kh, kw]
    /// for each group q (0 past Kt).
    static func prepareTimePairs(
        weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, layout l: ForwardLayout,
        into prepared: UnsafeMutablePointer<Float>
    ) {
        let p = TimePairs(g, l)
        let s = g.stride
        let k = g.kernel
        let plane = k.h * k.w
        var d = 0
        for rho in 0..<s.t {
            for _ in 0..<g.inputChannels {
                for kh in 0..<k.h {
                    for kw in 0..<k.w {
                        let phase = (rho * s.h + kh % s.h) * s.w + kw % s.w
                        prepared[d] = encode(phase * 2 * p.frame + (kh / s.h) * l.a.w + kw / s.w)
                        d += 1
                    }
                }
            }
        }
        let rows = g.outputChannels
        let panels = (rows + l.width - 1) / l.width
        Parallel.forEach(p.groups * panels) { index in
            let q = index / panels
            let panel = index % panels
            let out = prepared + p.depth + q * p.packedCount + panel * p.depth * l.width
            for j in 0..<l.width {
                let row = panel * l.width + j
                var d = 0
                for rho in 0..<s.t {
                    let first = rho + 2 * q * s.t
                    let second = first + s.t
                    for c in 0..<g.inputChannels {
                        let w = weight + row * g.patchCount + c * k.t * plane
                        for i in 0..<plane {
                            let a = row < rows && first < k.t ? w[first * plane + i] : 0
                            let b = row < rows && second < k.t ? w[second * plane + i] : 0
                            out[d * l.width + j] = a + b
                            d += 1
                        }
                    }
                }
            }
        }
    }

    /// One input channel's differences for the pair (o, o + 1): for each phase, frame 0 =
    /// F(o) − F(o + 1) and frame 1 = F(o + 2) − F(o + 1), from the channel's phase planes; with
    /// `phases`, only the first that many (phases are time-phase major), and without `second`,
    /// frame 0 only (F(o + 2) may then lie past the planes).
    @inline(__always)
    static func fillDifferences(
        _ source: UnsafePointer<Float>, _ l: ForwardLayout, _ p: TimePairs, channel: Int, pair o: Int,
        phases: Int? = nil, second: Bool = true, into differences: UnsafeMutablePointer<Float>
    ) {
        for phase in 0..<(phases ?? l.phases) {
            let f0 = source + (channel * l.phases + phase) * l.phaseVolume + o * p.frame
            let d0 = differences + phase * 2 * p.frame
            subtract(f0, f0 + p.frame, count: p.frame, into: d0)
            if second { subtract(f0 + 2 * p.frame, f0 + p.frame, count: p.frame, into: d0 + p.frame) }
        }
    }

    /// Output frames o and o + 1 of one video, filters of `panels`: `first` and `second` are
    /// two frame-tile buffers (`runRowFrame`'s layout), `differences` one thread's buffer.
    static func runTimePair(
        _ r: ForwardRows, geometry g: Conv3dGeometry, layout l: ForwardLayout, pair o: Int, panels: Range<Int>,
        offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>, pairPrepared: UnsafePointer<Float>,
        source: UnsafePointer<Float>, differences: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        bias: UnsafePointer<Float>, first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>
    ) {
        let p = TimePairs(g, l)
        let s = g.stride.t
        let ci = g.inputChannels
        let tileFloats = l.lanes * l.width
        let panelCount = (g.outputChannels + l.width - 1) / l.width
        let frameFloats = r.tiles * panelCount * tileFloats
        let pairOffsets = pairPrepared
        let pairPacked = pairPrepared + p.depth
        // A1 = (w0 + w1)·F(o + 1) into `first`, then copied to `second`.
        first.update(repeating: 0, count: frameFloats)
        for block in 0..<s * ci {
            accumulateRowBlock(
                r, geometry: g, layout: l, block: block, panels: panels, offsets: offsets, packed: pairPacked,
                panelDepth: p.depth, source: source + (o + 1) * p.frame, frameTiles: first)
        }
        second.update(from: first, count: frameFloats)
        for c in 0..<ci {
            fillDifferences(source, l, p, channel: c, pair: o, into: differences)
            for rho in 0..<s {
                // A0 = w0·(F(o) − F(o + 1)); A2 = w1·(F(o + 2) − F(o + 1)), w1 the taps ρ + s.
                accumulateRowBlock(
                    r, geometry: g, layout: l, block: rho * ci + c, panels: panels, offsets: pairOffsets,
                    packed: packed, panelDepth: l.depth, source: differences, frameTiles: first)
                if rho + s < g.kernel.t {
                    accumulateRowBlock(
                        r, geometry: g, layout: l, block: (rho + s) * ci + c, panels: panels,
                        offsets: pairOffsets - s * ci * g.kernel.h * g.kernel.w, packed: packed, panelDepth: l.depth,
                        source: differences + p.frame, frameTiles: second)
                }
            }
            if g.kernel.t == 2 * s + 1 {
                // Tap 2s: its direct offsets reach two frames on, F(o + 2) and F(o + 3).
                accumulateRowBlock(
                    r, geometry: g, layout: l, block: 2 * s * ci + c, panels: panels, offsets: offsets, packed: packed,
                    panelDepth: l.depth, source: source + o * p.frame, frameTiles: first)
                accumulateRowBlock(
                    r, geometry: g, layout: l, block: 2 * s * ci + c, panels: panels, offsets: offsets, packed: packed,
                    panelDepth: l.depth, source: source + (o + 1) * p.frame, frameTiles: second)
            }
        }
        let plane = g.output.h * g.output.w
        writeRowFrame(r, geometry: g, layout: l, panels: panels, frameTiles: first, bias: bias, output: output + o * plane)
        writeRowFrame(
            r, geometry: g, layout: l, panels: panels, frameTiles: second, bias: bias, output: output + (o + 1) * plane)
    }

    /// The forward's frames as pairs (and a last frame alone when their count is odd). Work units
    /// (video, pair, filter panel) are split evenly between the threads; a thread runs its units
    /// of one pair together, so a pair whose panels two threads share makes its differences twice.
    static func forwardTimePairs(
        geometry g: Conv3dGeometry, layout l: ForwardLayout, videos: Int, threads: Int,
        offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>, pairPrepared: UnsafePointer<Float>,
        sources: UnsafePointer<Float>, slots: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
        into output: UnsafeMutablePointer<Float>
    ) {
        let r = ForwardRows(g)
        let p = TimePairs(g, l)
        let panelCount = (g.outputChannels + l.width - 1) / l.width
        let frameFloats = r.tiles * panelCount * l.lanes * l.width
        let pairs = g.output.t / 2
        let lone = g.output.t % 2  // a last frame alone
        let perVideo = (pairs + lone) * panelCount
        let units = videos * perVideo
        let tasks = min(threads, units)
        // Split by cost, in tap blocks: a pair runs 3s + 2 of them per input channel (fewer when
        // Kt < 2s + 1), a lone last frame only its taps inside the video. By count, `st` on 77
        // frames of 100 × 100 (5 pairs of 23 blocks and a lone frame of 11, 10 panels each) gave
        // one thread 690 of 1260 block-panels; by cost its forward ran in 34.7–40.7 against
        // 36.4–41.9 ms (faster in each of 7 interleaved pairs).
        let s = g.stride.t
        let pairCost = 2 * s + min(s, g.kernel.t - s) + (g.kernel.t == 2 * s + 1 ? 2 : 0)
        let loneCost = timeTaps(g, frame: g.output.t - 1).count
        Parallel.forEach(tasks) { task in
            let range = Parallel.range(task, of: tasks, count: units) { unit in
                unit % perVideo / panelCount < pairs ? pairCost : loneCost
            }
            let slot = slots + task * forwardSlotCount(g, l)
            let first = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)! + l.lanes * l.width
            let second = first + frameFloats
            let differences = second + frameFloats
            var unit = range.lowerBound
            let end = range.upperBound
            while unit < end {
                let n = unit / perVideo
                let item = unit % perVideo / panelCount
                let panel0 = unit % panelCount
                let panel1 = min(panelCount, panel0 + end - unit)
                let source = sources + n * l.sourceCount
                let out = output + n * g.outputCount
                if item < pairs {
                    runTimePair(
                        r, geometry: g, layout: l, pair: 2 * item, panels: panel0..<panel1, offsets: offsets,
                        packed: packed, pairPrepared: pairPrepared, source: source, differences: differences,
                        output: out, bias: bias, first: first, second: second)
                } else {
                    let f = g.output.t - 1
                    let taps = timeTaps(g, frame: f)
                    runRowFrame(
                        r, geometry: g, layout: l, timeTaps: taps.lowerBound, taps.upperBound, panels: panel0..<panel1,
                        offsets: offsets, packed: packed, source: source + f * p.frame,
                        output: out + f * g.output.h * g.output.w, bias: bias, frameTiles: first)
                }
                unit += panel1 - panel0
            }
        }
    }

    /// Fewest output frames for the flat pairs. st 32×64×64 (5 frames: two pairs and one alone,
    /// split 1 : 2 between the threads) ran its iteration in 0.65–0.68 s with them against
    /// 0.61–0.63 s; fcs-large's first layer (24 frames) ran its forward in 235–259 ms against
    /// 261–269 ms.
    package static let minimumFlatPairFrames = 8

    /// The pairs for frames wider than the row tiles take: each term is one `runFrame` over the
    /// whole output frame, the first writing A1 + bias, the others adding to it (x(o + 1) starts
    /// as a copy of x(o) after A1). The differences of all input channels are made per pair (for
    /// fcs-large's first layer 3.8 MB per thread), so that each term is one call over its depth.
    /// `table`: p.depth floats of scratch for the differences' offsets with their channel.
    static func forwardTimePairsFlat(
        geometry g: Conv3dGeometry, layout l: ForwardLayout, videos: Int, threads: Int,
        offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>, pairPrepared: UnsafePointer<Float>,
        sources: UnsafePointer<Float>, slots: UnsafeMutablePointer<Float>, table: UnsafeMutablePointer<Float>,
        bias: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>
    ) {
        let p = TimePairs(g, l)
        let s = g.stride.t
        let ci = g.inputChannels
        let plane = g.kernel.h * g.kernel.w
        let perTap = ci * plane
        let channelFloats = l.phases * 2 * p.frame
        for d in 0..<p.depth {
            table[d] = encode(decode(pairPrepared[d]) + (d / plane) % ci * channelFloats)
        }
        let pairPacked = pairPrepared + p.depth
        let pairs = g.output.t / 2
        let perVideo = pairs + g.output.t % 2
        let items = videos * perVideo
        let tasks = min(threads, items)
        let outPlane = g.output.h * g.output.w
        Parallel.forEach(tasks) { task in
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slots + task * forwardSlotCount(g, l)) + 63) & ~63)!
            let frameTiles = tile + l.lanes * l.width
            let span = (g.output.h - 1) * l.a.w + g.output.w
            let differences = frameTiles
                + frameTileCount(rows: g.output.h, span: span, lanes: l.lanes) * roundUp(g.outputChannels, l.width) * l.lanes
            for item in task * items / tasks..<(task + 1) * items / tasks {
                let n = item / perVideo
                let source = sources + n * l.sourceCount
                let video = output + n * g.outputCount
                @inline(__always) func run(
                    taps: Int, offsets: UnsafePointer<Float>, weights: UnsafePointer<Float>, panelDepth: Int,
                    source: UnsafePointer<Float>, frame f: Int, first: Bool
                ) {
                    runFrame(
                        depth: taps * perTap, channels: g.outputChannels, offsets: offsets, weights: weights,
                        panelDepth: panelDepth, source: source, rows: g.output.h, columns: g.output.w, pitch: l.a.w,
                        output: video + f * outPlane, channelStride: g.output.volume, rowStride: g.output.w,
                        columnStride: 1, bias: first ? bias : nil, tile: tile, accumulate: !first,
                        depthBlock: forwardDepthBlock, frameTiles: frameTiles)
                }
                let o = 2 * (item % perVideo)
                if o + 1 == g.output.t {
                    // The last frame alone, directly (time taps inside the video only).
                    let kt0 = max(0, g.padBefore.t - o * s)
                    let kt1 = max(kt0, min(g.kernel.t, g.input.t + g.padBefore.t - o * s))
                    run(taps: kt1 - kt0, offsets: offsets + kt0 * perTap, weights: packed + kt0 * perTap * l.width,
                        panelDepth: l.depth, source: source + o * p.frame, frame: o, first: true)
                    continue
                }
                // Group q of taps (ρ + 2qs, ρ + (2q + 1)s), with F' the frames 2q on:
                // A1 = (w0 + w1)·F'(o + 1) into x(o) for every group (the first also writes the
                // bias), then x(o + 1) = x(o); A0 = w0·(F'(o) − F'(o + 1)) into x(o) and
                // A2 = w1·(F'(o + 2) − F'(o + 1)) into x(o + 1).
                for q in 0..<p.groups {
                    run(taps: p.taps(g, group: q).first, offsets: offsets, weights: pairPacked + q * p.packedCount,
                        panelDepth: p.depth, source: source + (o + 2 * q + 1) * p.frame, frame: o, first: q == 0)
                }
                for c in 0..<g.outputChannels {
                    (video + c * g.output.volume + (o + 1) * outPlane).update(
                        from: video + c * g.output.volume + o * outPlane, count: outPlane)
                }
                for q in 0..<p.groups {
                    let (firstTaps, secondTaps) = p.taps(g, group: q)
                    for c in 0..<ci {
                        fillDifferences(
                            source, l, p, channel: c, pair: o + 2 * q, phases: firstTaps * g.stride.h * g.stride.w,
                            second: secondTaps > 0, into: differences + c * channelFloats)
                    }
                    run(taps: firstTaps, offsets: UnsafePointer(table), weights: packed + 2 * q * s * perTap * l.width,
                        panelDepth: l.depth, source: differences, frame: o, first: false)
                    if secondTaps > 0 {
                        run(taps: secondTaps, offsets: UnsafePointer(table),
                            weights: packed + (2 * q + 1) * s * perTap * l.width, panelDepth: l.depth,
                            source: differences + p.frame, frame: o + 1, first: false)
                    }
                }
            }
        }
    }
}
