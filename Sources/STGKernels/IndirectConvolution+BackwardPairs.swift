import STGTensor

/// The input gradient on pairs of class frames, with Winograd's F(2, 2) along time (st's first
/// layer: 15³ kernel, stride 7, three input channels).
///
/// A residue class's frame a gets Σ_q w_q · G(a − q) over its time taps q (w_q: the class's
/// weights of tap q, G: padded gradOutput frames, both summed over filters and kernel rows and
/// columns as usual). For two taps and the class frames a, a + 1:
///
///     x(a) = w0·G(a) + w1·G(a − 1),    x(a + 1) = w0·G(a + 1) + w1·G(a),
///
/// which F(2, 2) makes with three products instead of four:
///
///     A0 = w1·(G(a − 1) − G(a)),  A1 = (w0 + w1)·G(a),  A2 = w0·(G(a + 1) − G(a)),
///     x(a) = A1 + A0,  x(a + 1) = A1 + A2.
///
/// A third tap is added directly: w2·G(a − 2) to x(a), w2·G(a − 1) to x(a + 1). The difference
/// volumes D1[b] = G(b) − G(b + 1) and D2[b] = G(b) − G(b − 1) are made once per call next to the
/// padded gradOutput, in its layout, so the class's own offsets read them (A0: tap 1 at frame a
/// on D1; A2: tap 0 at frame a + 1 on D2). Used where every class runs in 3-channel row tiles
/// (`IndirectMicroKernels.rowTile16x3`) with time taps outermost; st: 23 tap blocks per pair of
/// class frames instead of 30.
extension IndirectConvolution {
    /// Fewest frames per time class for pairs. With few, the difference volumes and the frames
    /// left alone outweigh the saved taps: st 32×64×64 (4–5 frames per class) took 13.3–13.5 ms
    /// in pairs against 11.8 ms; st 70×100×100 (10) 34.4–35.0 against 37.3–37.4 ms.
    static let minimumClassFrames = 8

    /// True when the input gradient runs in row tiles for every class, time taps outermost, the
    /// time stride s has s < Kt ≤ 2s + 1, and every time class has at least `minimumClassFrames`
    /// frames.
    package static func prefersBackwardPairs(_ g: Conv3dGeometry) -> Bool {
        let s = g.stride
        guard s.t >= 2, g.kernel.t > s.t, g.kernel.t <= 2 * s.t + 1 else { return false }
        let l = BackwardLayout(g)
        guard l.lanes == 128, l.timeOuter else { return false }
        for rt in 0..<s.t {
            let t = classRange(g, axis: 0, residue: rt)
            if t.a1 - t.a0 < minimumClassFrames { return false }
        }
        for rh in 0..<s.h {
            for rw in 0..<s.w {
                let h = classRange(g, axis: 1, residue: rh)
                let w = classRange(g, axis: 2, residue: rw)
                if h.a1 - h.a0 < 4 || w.a1 - w.a0 > 16 || h.taps == 0 || w.taps == 0 { return false }
            }
        }
        return true
    }

    /// Floats of the pairs' prepared part: per class, panels of w0 + w1 over its first tap's
    /// depth steps (co, qh, qw), classes back to back, then where each class's starts.
    static func backwardPairsPreparedCount(_ g: Conv3dGeometry) -> Int {
        let l = BackwardLayout(g)
        let panels = (g.inputChannels + l.width - 1) / l.width
        var count = l.classes
        for r in 0..<l.classes { count += panels * firstTapSteps(g, class: r) * l.width }
        return count
    }

    /// Depth steps of one time tap of class r: co · (its kernel-row taps) · (its column taps).
    @inline(__always)
    static func firstTapSteps(_ g: Conv3dGeometry, class r: Int) -> Int {
        let s = g.stride
        let mh = taps(residue: (r / s.w) % s.h, kernel: g.kernel.h, stride: s.h)
        let mw = taps(residue: r % s.w, kernel: g.kernel.w, stride: s.w)
        return g.outputChannels * mh * mw
    }

    /// Writes the pairs' prepared part from the class panels `prepareBackwardData` wrote
    /// (`packed`, `table`): for class r, U1[panel][d][j] = packed[tap 0][d][j] + packed[tap 1][d][j]
    /// (tap 1's part zero when the class has one time tap).
    static func prepareBackwardPairs(
        geometry g: Conv3dGeometry, packed: UnsafePointer<Float>, table: UnsafePointer<Float>,
        into prepared: UnsafeMutablePointer<Float>
    ) {
        let l = BackwardLayout(g)
        let s = g.stride
        let panels = (g.inputChannels + l.width - 1) / l.width
        let starts = prepared
        var start = l.classes
        for r in 0..<l.classes {
            starts[r] = encode(start)
            start += panels * firstTapSteps(g, class: r) * l.width
        }
        Parallel.forEach(l.classes) { r in
            let mt = taps(residue: r / (s.h * s.w), kernel: g.kernel.t, stride: s.t)
            let perTap = firstTapSteps(g, class: r)
            let depth = mt * perTap
            let classPacked = packed + decode(table[2 * r + 1])
            let out = prepared + decode(starts[r])
            for panel in 0..<panels {
                let w0 = classPacked + panel * depth * l.width
                for i in 0..<perTap * l.width {
                    out[panel * perTap * l.width + i] = w0[i] + (mt > 1 ? w0[perTap * l.width + i] : 0)
                }
            }
        }
    }

    /// D1 and D2 of every video's padded gradOutput: `sources` holds the videos' padded volumes
    /// (`sourceCount` apart); D1 of video n at differences + 2n·sourceCount, D2 one sourceCount
    /// further, each in the padded layout (zeros where a neighbour frame is outside the volume).
    static func fillDifferenceVolumes(
        _ sources: UnsafePointer<Float>, videos: Int, _ g: Conv3dGeometry, _ l: BackwardLayout, threads: Int,
        into differences: UnsafeMutablePointer<Float>
    ) {
        let planes = videos * g.outputChannels
        let frame = l.padded.h * l.padded.w
        let frames = l.padded.t
        Parallel.forEach(min(threads, planes)) { chunk in
            let tasks = min(threads, planes)
            for index in chunk * planes / tasks..<(chunk + 1) * planes / tasks {
                let n = index / g.outputChannels
                let c = index % g.outputChannels
                let volume = sources + n * l.sourceCount + c * l.paddedVolume
                let d1 = differences + 2 * n * l.sourceCount + c * l.paddedVolume
                let d2 = d1 + l.sourceCount
                for b in 0..<frames {
                    let here = volume + b * frame
                    subtract(here, b + 1 < frames ? here + frame : nil, count: frame, into: d1 + b * frame)
                    subtract(here, b > 0 ? here - frame : nil, count: frame, into: d2 + b * frame)
                }
                if c == g.outputChannels - 1 {
                    // The slack past the last volume, read by overrunning lanes.
                    let tail = l.sourceCount - g.outputChannels * l.paddedVolume
                    (d1 + l.paddedVolume).update(repeating: 0, count: tail)
                    (d2 + l.paddedVolume).update(repeating: 0, count: tail)
                }
            }
        }
    }

    /// Adds `depth` steps to the row tiles of a frame of `rows` rows (groups of 4 to 8, as
    /// `runFrame`'s row mode), every panel. Not inlined: in its own function the micro-kernel keeps
    /// its accumulators in registers (inlined into `runBackwardPair`'s five terms it spilled them,
    /// 16% of its samples on stack accesses).
    @inline(never)
    static func addRowTiles(
        rows: Int, panels: Int, depth: Int, offsets: UnsafePointer<Float>, source: UnsafePointer<Float>, pitch: Int,
        weights: UnsafePointer<Float>, panelStride: Int, tileFloats: Int, into buffer: UnsafeMutablePointer<Float>
    ) {
        for panel in 0..<panels {
            for t in 0..<rowGroupCount(rows) {
                let (first, count) = rowGroup(t, rows: rows)
                IndirectMicroKernels.rowTile16x3(
                    rows: count, depth: depth, offsets: offsets, source: source + first * pitch, pitch: pitch,
                    weights: weights + panel * panelStride, into: buffer + (t * panels + panel) * tileFloats,
                    accumulate: true)
            }
        }
    }

    /// Per-thread floats of `runBackwardPair`'s three frame-tile buffers.
    static func backwardPairSlotCount(_ g: Conv3dGeometry, _ l: BackwardLayout) -> Int {
        3 * rowGroupCount(l.padded.h) * ((g.inputChannels + l.width - 1) / l.width) * l.lanes * l.width
    }

    /// Class r's frames a and a + 1 (class-grid time a) of one video, into `gradInput` (that
    /// video's). `gradOutput`, `d1`, `d2`: the video's padded volumes, each offset to class
    /// position (a, first row, first column); `output`: input position of (a, first row, first
    /// column). `offsets`, `weights`: the class's; `u1`: its w0 + w1 panels; `buffers`:
    /// `backwardPairSlotCount` floats.
    static func runBackwardPair(
        geometry g: Conv3dGeometry, layout l: BackwardLayout, class r: Int, rows: Int, columns: Int,
        offsets: UnsafePointer<Float>, weights: UnsafePointer<Float>, u1: UnsafePointer<Float>,
        gradOutput: UnsafePointer<Float>, d1: UnsafePointer<Float>, d2: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, buffers: UnsafeMutablePointer<Float>
    ) {
        let s = g.stride
        let ci = g.inputChannels
        let mt = taps(residue: r / (s.h * s.w), kernel: g.kernel.t, stride: s.t)
        let perTap = firstTapSteps(g, class: r)
        let depth = mt * perTap
        let frame = l.padded.h * l.padded.w
        let pitch = l.padded.w
        let groups = rowGroupCount(rows)
        let tileFloats = l.lanes * l.width
        let panels = (ci + l.width - 1) / l.width
        let bufferFloats = groups * panels * tileFloats
        // x(a)'s own terms, x(a + 1)'s own terms, and A1 (both).
        let first = buffers
        let second = first + bufferFloats
        let shared = second + bufferFloats
        buffers.update(repeating: 0, count: 3 * bufferFloats)
        /// Adds tap q's depth steps over `source` into `buffer`'s tiles.
        @inline(__always) func add(
            tap q: Int, panelWeights: UnsafePointer<Float>, panelDepth: Int, source: UnsafePointer<Float>,
            into buffer: UnsafeMutablePointer<Float>
        ) {
            addRowTiles(
                rows: rows, panels: panels, depth: perTap, offsets: offsets + q * perTap, source: source,
                pitch: pitch, weights: panelWeights, panelStride: panelDepth * l.width, tileFloats: tileFloats,
                into: buffer)
        }
        // Each term over its tap's whole depth, one call per tile. (In the single-frame path's
        // channel blocks, 37 filters, the calls were short: 34.7–36.5 ms against 34.2–34.7 ms,
        // interleaved.)
        // A1 = (w0 + w1)·G(a), through tap 0's offsets.
        add(tap: 0, panelWeights: u1, panelDepth: perTap, source: gradOutput, into: shared)
        if mt > 1 {
            // A0 = w1·D1 through tap 1 (frame a − 1 of D1: G(a − 1) − G(a)).
            add(tap: 1, panelWeights: weights + perTap * l.width, panelDepth: depth, source: d1, into: first)
        }
        // A2 = w0·D2 through tap 0 at frame a + 1 (G(a + 1) − G(a)).
        add(tap: 0, panelWeights: weights, panelDepth: depth, source: d2 + frame, into: second)
        if mt > 2 {
            // Tap 2 directly: G(a − 2) into x(a), G(a − 1) into x(a + 1).
            let w2 = weights + 2 * perTap * l.width
            add(tap: 2, panelWeights: w2, panelDepth: depth, source: gradOutput, into: first)
            add(tap: 2, panelWeights: w2, panelDepth: depth, source: gradOutput + frame, into: second)
        }
        // Channel j, row, column of frame f → out + j·volume + row·s_h·W + column·s_w.
        @inline(__always) func scatter(_ own: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
            for t in 0..<groups {
                let (row0, count) = rowGroup(t, rows: rows)
                for panel in 0..<panels {
                    let tile = (t * panels + panel) * tileFloats
                    for j in 0..<min(l.width, ci - panel * l.width) {
                        let base = out + (panel * l.width + j) * g.input.volume
                        for row in 0..<count {
                            let o = base + (row0 + row) * s.h * g.input.w
                            let lane = tile + l.lanes * j + 16 * row
                            for column in 0..<columns { o[column * s.w] = own[lane + column] + shared[lane + column] }
                        }
                    }
                }
            }
        }
        scatter(first, into: output)
        scatter(second, into: output + s.t * g.input.h * g.input.w)
    }

    /// The input gradient's tasks as (video, pair of class frames, class), in the order of the
    /// single-frame path; a class with an odd number of frames runs its last one alone.
    static func backwardDataPairs(
        geometry g: Conv3dGeometry, layout l: BackwardLayout, videos: Int, threads: Int,
        offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>, table: UnsafePointer<Float>,
        sources: UnsafePointer<Float>, differences: UnsafePointer<Float>, slots: UnsafeMutablePointer<Float>,
        slotCount: Int, into gradInput: UnsafeMutablePointer<Float>
    ) {
        let s = g.stride
        let pd = l.padded
        let u1Table = table + 2 * l.classes
        var maxItems = 0
        for rt in 0..<s.t {
            let range = classRange(g, axis: 0, residue: rt)
            maxItems = max(maxItems, (range.a1 - range.a0 + 1) / 2)
        }
        let items = videos * l.classes * maxItems
        let tasks = max(1, min(threads, items))
        let hw = g.input.h * g.input.w
        Parallel.forEach(tasks) { task in
            let slot = slots + task * slotCount
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)!
            for item in task * items / tasks..<(task + 1) * items / tasks {
                let n = item / (l.classes * maxItems)
                let p = (item / l.classes) % maxItems
                let r = item % l.classes
                let rt = r / (s.h * s.w)
                let t = classRange(g, axis: 0, residue: rt)
                let at = t.a0 + 2 * p
                if at >= t.a1 { continue }
                if at + 1 == t.a1 {
                    backwardClassFrame(
                        geometry: g, layout: l, video: n, class: r, frame: at, offsets: offsets, packed: packed,
                        table: table, sources: sources, tile: tile, frameTiles: tile + l.lanes * l.width,
                        into: gradInput)
                    continue
                }
                let rh = (r / s.w) % s.h
                let rw = r % s.w
                let h = classRange(g, axis: 1, residue: rh)
                let w = classRange(g, axis: 2, residue: rw)
                let it = at * s.t + rt - g.padBefore.t
                let ih0 = h.a0 * s.h + rh - g.padBefore.h
                let iw0 = w.a0 * s.w + rw - g.padBefore.w
                let position = ((at + l.padLow.t) * pd.h + h.a0 + l.padLow.h) * pd.w + w.a0 + l.padLow.w
                runBackwardPair(
                    geometry: g, layout: l, class: r, rows: h.a1 - h.a0, columns: w.a1 - w.a0,
                    offsets: offsets + decode(table[2 * r]), weights: packed + decode(table[2 * r + 1]),
                    u1: u1Table + decode(u1Table[r]), gradOutput: sources + n * l.sourceCount + position,
                    d1: differences + 2 * n * l.sourceCount + position,
                    d2: differences + (2 * n + 1) * l.sourceCount + position,
                    output: gradInput + n * g.inputCount + it * hw + ih0 * g.input.w + iw0, buffers: tile)
            }
        }
    }
}
