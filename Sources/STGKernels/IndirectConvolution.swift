import STGTensor

/// Convolution forward and input gradient without a column matrix: an indirect GEMM over a
/// re-laid-out source volume (XNNPACK's indirection idea, with one offset per depth step).
///
/// **Forward.** The input is split by stride phase and zero-padded ("phase source",
/// (inputChannels, st, sh, sw, At, Ah, Aw) row-major, A = output + (kernel − 1) / stride per axis):
/// phase source[ci, φ, a, b, c] = input[ci, a·st + φt − pt, b·sh + φh − ph, c·sw + φw − pw] (or 0).
/// Tap k = q·stride + φ of output position (ot, oh, ow) then reads phase source[ci, φ, ot + qt,
/// oh + qh, ow + qw]: for a fixed tap, consecutive output columns are consecutive in memory. So an
/// output frame is a flat run of positions q = oh·Aw + ow (lanes; positions with ow ≥ OW are
/// computed and dropped), and depth step d = (ci, kt, kh, kw) adds offsets[d] to the address.
///
/// **Input gradient.** gradInput[i] = Σ_k W[k] · gradOutput[(i + p − k) / s] over taps with
/// i + p ≡ k (mod s). Writing i + p = a·s + r, the taps are k = m·s + r and read gradOutput[a − m]:
/// for each residue class r (s_t·s_h·s_w of them) this is a stride-1 correlation of the
/// zero-padded gradOutput ((outputChannels, Td, Hd, Wd)) with the sub-kernel W[m·s + r], and each
/// input element belongs to exactly one class, so gradInput is overwritten with no col2vol.
///
/// Both run `IndirectMicroKernels` (32 positions × 12 channels, or 128 × 3 when at most 3
/// channels come out) and are parallel over (video, frame, class); every output element is
/// written by one task, so results do not depend on the thread count.
package enum IndirectConvolution {
    // MARK: Geometry helpers

    @inline(__always) static func ceilDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? (a + b - 1) / b : -((-a) / b) }
    @inline(__always) static func roundUp(_ x: Int, _ r: Int) -> Int { (x + r - 1) / r * r }

    /// Micro-kernel shape for `channels` outputs: (lanes, channels per panel).
    @inline(__always) static func tileShape(channels: Int) -> (lanes: Int, width: Int) {
        channels <= 3 ? (128, 3) : (32, 12)
    }

    /// Fraction of computed lanes that land on real outputs for frames of rows × columns with
    /// row pitch `pitch`.
    static func laneEfficiency(rows: Int, columns: Int, pitch: Int, lanes: Int) -> Double {
        if rows == 0 || columns == 0 { return 1 }
        let span = (rows - 1) * pitch + columns
        return Double(rows * columns) / Double(roundUp(span, lanes))
    }

    /// An index stored in a Float slot of the workspace (its Int32 bit pattern; never used as a number).
    @inline(__always) static func encode(_ i: Int) -> Float { Float(bitPattern: UInt32(bitPattern: Int32(i))) }
    @inline(__always) static func decode(_ f: Float) -> Int { Int(Int32(bitPattern: f.bitPattern)) }

    /// Floats of source a depth block of the input gradient may read (128 KB). With fcs's 54 × 54
    /// padded frames this is two output channels per block: their 4 frames each (94 KB) stay in
    /// L2's nearest part while all tiles of the frame sweep them. Measured, fcs layer 1 input
    /// gradient at 2 threads (interleaved, median of 7): 16 384 floats (one channel) 189–202 ms,
    /// 32 768 183–186 ms, 65 536 200–209 ms; st (32 channels per block) 39.4–39.6 ms against
    /// 39.7–41.2 with 16 384.
    package static let defaultBlockFloats = 32_768

    /// Fewest depth steps of one input-gradient depth block (see `BackwardLayout.channelBlock`).
    package static let defaultMinimumBlockSteps = 64

    /// Floats of slack after a source so that overrunning lanes read memory that exists.
    static let slack = 512

    // MARK: Forward

    /// Sizes of the forward phase source (per axis: phase-grid size A).
    struct ForwardLayout {
        let a: Axis3
        let phases: Int
        let phaseVolume: Int
        let sourceCount: Int  // one video, with slack
        let depth: Int
        let width: Int  // channels per weight panel
        let lanes: Int
        let packedCount: Int

        init(_ g: Conv3dGeometry) {
            var a = Axis3(0)
            for axis in 0..<3 { a[axis] = g.output[axis] + (g.kernel[axis] - 1) / g.stride[axis] }
            self.a = a
            phases = g.stride.volume
            phaseVolume = a.volume
            sourceCount = g.inputChannels * phases * phaseVolume + a.w + IndirectConvolution.slack
            depth = g.patchCount
            (lanes, width) = tileShape(channels: g.outputChannels)
            packedCount = roundUp(g.outputChannels, width) * depth
        }

        /// Where kernel tap (kt, kh, kw) of input channel `channel` reads output position 0 in a
        /// video's phase source: the plane of (channel, tap mod stride), at (tap / stride).
        @inline(__always)
        func tapOffset(_ g: Conv3dGeometry, channel: Int, kt: Int, kh: Int, kw: Int) -> Int {
            let s = g.stride
            let phase = ((kt % s.t) * s.h + kh % s.h) * s.w + kw % s.w
            return (channel * phases + phase) * phaseVolume + ((kt / s.t) * a.h + kh / s.h) * a.w + kw / s.w
        }
    }

    /// The time taps of output frame f that read inside the video (input frame f·st − pt + kt in
    /// 0..<T); the others read only zero padding and are skipped.
    @inline(__always) static func timeTaps(_ g: Conv3dGeometry, frame f: Int) -> Range<Int> {
        let kt0 = max(0, g.padBefore.t - f * g.stride.t)
        return kt0..<max(kt0, min(g.kernel.t, g.input.t + g.padBefore.t - f * g.stride.t))
    }

    /// Groups of whole rows for the 3-channel row tiles (`IndirectMicroKernels.rowTile16x3`): at
    /// most 8 rows each, balanced (14 rows: 7 + 7).
    @inline(__always) static func rowGroupCount(_ rows: Int) -> Int { (rows + 7) / 8 }

    /// Rows first..<first + count of row group t.
    @inline(__always) static func rowGroup(_ t: Int, rows: Int) -> (first: Int, count: Int) {
        let groups = rowGroupCount(rows)
        let base = rows / groups
        let extra = rows % groups
        return (t * base + min(t, extra), base + (t < extra ? 1 : 0))
    }

    /// out = a − b (b nil: out = a), `count` floats; serial (called inside parallel loops). The
    /// time pairs' frame differences.
    @inline(__always)
    static func subtract(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        guard let b else {
            out.update(from: a, count: count)
            return
        }
        var i = 0
        while i + 16 <= count {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: x - y, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            out[i] = a[i] - b[i]
            i += 1
        }
    }

    /// Tiles `runFrame` may use on a frame of `rows` rows whose positions span `span` lanes: the
    /// span's tiles, or with 128-lane tiles as many row groups (for sizing frame-tile scratch).
    static func frameTileCount(rows: Int, span: Int, lanes: Int) -> Int {
        max((span + lanes - 1) / lanes, lanes == 128 ? rowGroupCount(rows) : 0)
    }

    /// Depth steps of one forward block: its source vectors (32 KB for 32 lanes) stay in L1
    /// while every channel panel of the tile passes over them.
    static let forwardDepthBlock = 256

    /// One thread's forward scratch: a tile, then every tile of one output frame (depth blocks).
    static func forwardSlotCount(_ g: Conv3dGeometry, _ l: ForwardLayout) -> Int {
        let span = (g.output.h - 1) * l.a.w + g.output.w
        let tiles = max(
            frameTileCount(rows: g.output.h, span: span, lanes: l.lanes),
            prefersForwardRows(g) ? ForwardRows(g).tiles : 0)
        let frame = tiles * roundUp(g.outputChannels, l.width) * l.lanes
        // Time pairs: in row tiles a second frame's tiles and one channel's differences; flat,
        // every channel's differences.
        var pairs = 0
        if prefersTimePairs(g) {
            let p = TimePairs(g, l)
            pairs = prefersForwardRows(g) ? frame + p.differencesCount : p.flatDifferencesCount(g, l)
        }
        return l.lanes * l.width + 16 + frame + pairs
    }

    static func forwardEfficiency(_ g: Conv3dGeometry) -> Double {
        let l = ForwardLayout(g)
        return laneEfficiency(rows: g.output.h, columns: g.output.w, pitch: l.a.w, lanes: l.lanes)
    }

    static func forwardWorkspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let l = ForwardLayout(g)
        // (Flat time pairs: their offsets table after the slots.)
        let table = prefersTimePairs(g) ? TimePairs(g, l).depth : 0
        return videos * l.sourceCount + forwardPreparedCount(g) + threads * (forwardSlotCount(g, l)) + table + 64
    }

    /// Floats of `prepareForward`: the offsets, then the weight panels, then (time pairs) their part.
    static func forwardPreparedCount(_ g: Conv3dGeometry) -> Int {
        let l = ForwardLayout(g)
        return l.depth + l.packedCount + (prefersTimePairs(g) ? TimePairs(g, l).preparedCount : 0)
    }

    /// The weight-derived part of forward: offsets over depth steps d = (kt, ci, kh, kw) (tap
    /// k = q·s + φ), then the weight panels packed[panel][d][j] = W[panel·width + j, ci, kt, kh, kw].
    /// Time taps are outermost, so an output frame whose kernel reaches past the first or last
    /// input frame skips those taps as one contiguous range of depth steps.
    static func prepareForward(weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, into prepared: UnsafeMutablePointer<Float>) {
        let l = ForwardLayout(g)
        let offsets = prepared
        let k = g.kernel
        let ci = g.inputChannels
        var d = 0
        for kt in 0..<k.t {
            for c in 0..<ci {
                for kh in 0..<k.h {
                    for kw in 0..<k.w {
                        offsets[d] = encode(l.tapOffset(g, channel: c, kt: kt, kh: kh, kw: kw))
                        d += 1
                    }
                }
            }
        }
        // packed[panel][d][j] = W[row = panel·width + j][c, kt, kh, kw], zero past the last filter.
        let packed = prepared + l.depth
        let rows = g.outputChannels
        let plane = k.h * k.w
        Parallel.forEach((rows + l.width - 1) / l.width) { panel in
            let out = packed + panel * l.depth * l.width
            for j in 0..<l.width {
                let row = panel * l.width + j
                var d = 0
                for kt in 0..<k.t {
                    for c in 0..<ci {
                        let src = weight + row * g.patchCount + (c * k.t + kt) * plane
                        for i in 0..<plane {
                            out[d * l.width + j] = row < rows ? src[i] : 0
                            d += 1
                        }
                    }
                }
            }
        }
        if prefersTimePairs(g) {
            prepareTimePairs(weight: weight, geometry: g, layout: l, into: prepared + l.depth + l.packedCount)
        }
    }

    /// output (videos, outputChannels, output volume) = conv(input, weight) + bias, overwriting.
    /// `prepared`: from `prepareForward`, or nil to derive it in the workspace.
    static func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, videos: Int,
        geometry g: Conv3dGeometry, threads: Int, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>
    ) {
        let l = ForwardLayout(g)
        let sources = workspace
        let own = sources + videos * l.sourceCount
        let tiles = own + forwardPreparedCount(g)
        if prepared == nil { prepareForward(weight: weight, geometry: g, into: own) }
        let offsets = prepared ?? UnsafePointer(own)
        let packed = offsets + l.depth

        fillPhaseSources(input, videos: videos, g, l, threads: threads, into: sources)
        if prefersTimePairs(g) && prefersForwardRows(g) {
            forwardTimePairs(
                geometry: g, layout: l, videos: videos, threads: threads, offsets: offsets, packed: packed,
                pairPrepared: packed + l.packedCount, sources: sources, slots: tiles, bias: bias, into: output)
            return
        }
        if prefersTimePairs(g) {
            forwardTimePairsFlat(
                geometry: g, layout: l, videos: videos, threads: threads, offsets: offsets, packed: packed,
                pairPrepared: packed + l.packedCount, sources: sources, slots: tiles,
                table: tiles + threads * forwardSlotCount(g, l), bias: bias, into: output)
            return
        }
        // Work units (video, frame, filter panel), split between the threads by their time taps
        // inside the video: frames near the ends have fewer. By whole frames, st 32×64×64's first
        // layer (one video per call, 5 frames of 10, 15, 15, 15 and 9 taps) gave one thread 39
        // of 64 taps (1 thread 16.5 ms, 2 threads 10.1–10.3 ms).
        let frames = g.output.t
        let panelCount = (g.outputChannels + l.width - 1) / l.width
        let units = videos * frames * panelCount
        let tasks = min(threads, units)
        let rowTiles = prefersForwardRows(g) ? ForwardRows(g) : nil
        Parallel.forEach(tasks) { task in
            let range = Parallel.range(task, of: tasks, count: units) { unit in
                timeTaps(g, frame: unit / panelCount % frames).count
            }
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: tiles + task * forwardSlotCount(g, l)) + 63) & ~63)!
            let frameTiles = tile + l.lanes * l.width
            var unit = range.lowerBound
            while unit < range.upperBound {
                // This task's panels of one frame, in one call.
                let item = unit / panelCount
                let panels = unit % panelCount..<min(panelCount, unit % panelCount + range.upperBound - unit)
                unit += panels.count
                let n = item / frames
                let f = item % frames
                let taps = timeTaps(g, frame: f)
                let source = sources + n * l.sourceCount + f * l.a.h * l.a.w
                let out = output + n * g.outputCount + f * g.output.h * g.output.w
                if let rowTiles {
                    runRowFrame(
                        rowTiles, geometry: g, layout: l, timeTaps: taps.lowerBound, taps.upperBound, panels: panels,
                        offsets: offsets, packed: packed, source: source, output: out, bias: bias,
                        frameTiles: frameTiles)
                    continue
                }
                let perTap = g.inputChannels * g.kernel.h * g.kernel.w
                let firstFilter = panels.lowerBound * l.width
                let filters = min(g.outputChannels, panels.upperBound * l.width) - firstFilter
                runFrame(
                    depth: taps.count * perTap, channels: filters, offsets: offsets + taps.lowerBound * perTap,
                    weights: packed + (panels.lowerBound * l.depth + taps.lowerBound * perTap) * l.width,
                    panelDepth: l.depth, source: source, rows: g.output.h, columns: g.output.w, pitch: l.a.w,
                    output: out + firstFilter * g.output.volume, channelStride: g.output.volume,
                    rowStride: g.output.w, columnStride: 1, bias: bias + firstFilter, tile: tile,
                    depthBlock: forwardDepthBlock, frameTiles: frameTiles, layerChannels: g.outputChannels)
            }
        }
    }

    /// The phase sources of `videos` videos (`sourceCount` floats each, zeros past the planes), in
    /// parallel over (video, channel, phase) planes.
    static func fillPhaseSources(
        _ input: UnsafePointer<Float>, videos: Int, _ g: Conv3dGeometry, _ l: ForwardLayout, threads: Int,
        into sources: UnsafeMutablePointer<Float>
    ) {
        let planes = videos * g.inputChannels * l.phases
        Parallel.forEach(min(threads, planes)) { chunk in
            for index in chunk * planes / min(threads, planes)..<(chunk + 1) * planes / min(threads, planes) {
                let n = index / (g.inputChannels * l.phases)
                let rest = index % (g.inputChannels * l.phases)
                fillPhasePlane(input + n * g.inputCount, g, l, channel: rest / l.phases, phase: rest % l.phases,
                               into: sources + n * l.sourceCount + rest * l.phaseVolume)
                if rest == g.inputChannels * l.phases - 1 {
                    (sources + n * l.sourceCount + g.inputChannels * l.phases * l.phaseVolume)
                        .update(repeating: 0, count: l.sourceCount - g.inputChannels * l.phases * l.phaseVolume)
                }
            }
        }
    }

    /// One plane of the phase source: (At, Ah, Aw) for input channel `channel`, phase `phase`.
    static func fillPhasePlane(
        _ x: UnsafePointer<Float>, _ g: Conv3dGeometry, _ l: ForwardLayout, channel: Int, phase: Int,
        into plane: UnsafeMutablePointer<Float>
    ) {
        let s = g.stride
        let phaseT = phase / (s.h * s.w)
        let phaseH = (phase / s.w) % s.h
        let phaseW = phase % s.w
        let a = l.a
        let ts = Vol2Col.validOutputs(tap: phaseT, pad: g.padBefore.t, stride: s.t, inputSize: g.input.t, outputSize: a.t)
        let hs = Vol2Col.validOutputs(tap: phaseH, pad: g.padBefore.h, stride: s.h, inputSize: g.input.h, outputSize: a.h)
        let ws = Vol2Col.validOutputs(tap: phaseW, pad: g.padBefore.w, stride: s.w, inputSize: g.input.w, outputSize: a.w)
        plane.update(repeating: 0, count: l.phaseVolume)
        let channelBase = x + channel * g.input.volume
        for at in ts {
            let it = at * s.t + phaseT - g.padBefore.t
            for bh in hs {
                let ih = bh * s.h + phaseH - g.padBefore.h
                // Input column of phase column c: c·sw + φw − pw.
                let src = channelBase + (it * g.input.h + ih) * g.input.w + phaseW - g.padBefore.w
                let dst = plane + (at * a.h + bh) * a.w
                if s.w == 1 {
                    (dst + ws.lowerBound).update(from: src + ws.lowerBound, count: ws.count)
                } else {
                    for c in ws { dst[c] = src[c * s.w] }
                }
            }
        }
    }

    // MARK: Input gradient

    /// Per-axis layout of the padded gradOutput and of the residue classes.
    struct BackwardLayout {
        let padLow: Axis3
        let padded: Axis3  // Td, Hd, Wd
        let paddedVolume: Int
        let sourceCount: Int  // one video, with slack
        let classes: Int
        let lanes: Int
        let width: Int
        let packedCount: Int  // all classes' weight panels
        let offsetCount: Int  // all classes' offsets
        let frameTilesCount: Int  // scratch for all tiles of one frame, per thread
        let channelBlock: Int  // output channels per depth block
        /// Depth order (time taps, channels, …) rather than (channels, time taps, …). Measured: st
        /// layer 1 (27 taps per channel), input gradient 45.4 → 39.5 ms with time outermost; fcs
        /// layer 1 (64 taps per channel) 189 → 216 ms, so it keeps channels outermost.
        let timeOuter: Bool

        init(
            _ g: Conv3dGeometry, blockFloats: Int = IndirectConvolution.defaultBlockFloats,
            minimumBlockSteps: Int = IndirectConvolution.defaultMinimumBlockSteps
        ) {
            var low = Axis3(0)
            var high = Axis3(0)
            for axis in 0..<3 {
                let s = g.stride[axis]
                let p = g.padBefore[axis]
                for r in 0..<s {
                    let taps = IndirectConvolution.taps(residue: r, kernel: g.kernel[axis], stride: s)
                    let a0 = ceilDiv(p - r, s)
                    let a1 = ceilDiv(g.input[axis] + p - r, s)
                    if taps > 0 { low[axis] = max(low[axis], -(a0 - taps + 1)) }
                    high[axis] = max(high[axis], a1 - g.output[axis])
                }
            }
            padLow = low
            var padded = Axis3(0)
            for axis in 0..<3 { padded[axis] = g.output[axis] + low[axis] + high[axis] }
            self.padded = padded
            paddedVolume = padded.volume
            (lanes, width) = tileShape(channels: g.inputChannels)
            sourceCount = g.outputChannels * paddedVolume + 2 * lanes + padded.h * padded.w + IndirectConvolution.slack
            classes = g.stride.volume
            offsetCount = g.outputChannels * g.kernel.volume
            packedCount = roundUp(g.inputChannels, width) * offsetCount
            frameTilesCount = (frameTileCount(rows: padded.h, span: padded.h * padded.w, lanes: lanes) + 1)
                * roundUp(g.inputChannels, width) * lanes
            // Output channels per depth block: their padded planes for the kernel's time taps
            // (`blockFloats`) stay close while a frame's tiles sweep them; but at least
            // `minimumBlockSteps` depth steps per block (counting the largest class's taps per
            // channel), or the tiles' loads and stores between blocks cost more than the cache
            // saves (fcs-large: 27 taps, one channel per block took 1174 ms, three 904 ms).
            let taps = (g.kernel.t + g.stride.t - 1) / g.stride.t
            let classTaps = taps * ((g.kernel.h + g.stride.h - 1) / g.stride.h) * ((g.kernel.w + g.stride.w - 1) / g.stride.w)
            let minimum = max(1, (minimumBlockSteps + classTaps - 1) / classTaps)
            channelBlock = max(minimum, blockFloats / max(1, taps * padded.h * padded.w))
            timeOuter = classTaps <= 32
        }
    }

    /// Number of taps k < kernel with k ≡ residue (mod stride).
    @inline(__always) static func taps(residue r: Int, kernel: Int, stride: Int) -> Int {
        r < kernel ? (kernel - 1 - r) / stride + 1 : 0
    }

    /// Residue class r of one axis: taps, and the class-grid range a ∈ a0..<a1 (i = a·s + r − p).
    @inline(__always)
    static func classRange(_ g: Conv3dGeometry, axis: Int, residue r: Int) -> (taps: Int, a0: Int, a1: Int) {
        let s = g.stride[axis]
        let p = g.padBefore[axis]
        return (taps(residue: r, kernel: g.kernel[axis], stride: s), ceilDiv(p - r, s), ceilDiv(g.input[axis] + p - r, s))
    }

    static func backwardDataEfficiency(_ g: Conv3dGeometry) -> Double {
        let l = BackwardLayout(g)
        // Average over the width residues (height and time only scale the work).
        var useful = 0.0
        var computed = 0.0
        for rh in 0..<g.stride.h {
            for rw in 0..<g.stride.w {
                let h = classRange(g, axis: 1, residue: rh)
                let w = classRange(g, axis: 2, residue: rw)
                let rows = h.a1 - h.a0
                let columns = w.a1 - w.a0
                useful += Double(rows * columns)
                computed += Double(rows * columns) / laneEfficiency(rows: rows, columns: columns, pitch: l.padded.w, lanes: l.lanes)
            }
        }
        return computed == 0 ? 1 : useful / computed
    }

    static func backwardDataWorkspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let l = BackwardLayout(g)
        let volumes = prefersBackwardPairs(g) ? 3 : 1  // the padded gradOutput (and D1, D2)
        return volumes * videos * l.sourceCount + backwardDataPreparedCount(g) + threads * backwardSlotCount(g, l) + 64
    }

    /// One thread's input-gradient scratch: a tile and a frame's tiles, or the pairs' buffers.
    static func backwardSlotCount(_ g: Conv3dGeometry, _ l: BackwardLayout) -> Int {
        max(l.frameTilesCount + l.lanes * l.width, prefersBackwardPairs(g) ? backwardPairSlotCount(g, l) : 0) + 32
    }

    /// Floats of `prepareBackwardData`: offsets, weight panels and the per-class table (then,
    /// with pairs of class frames, their part).
    static func backwardDataPreparedCount(_ g: Conv3dGeometry) -> Int {
        let l = BackwardLayout(g)
        return l.offsetCount + l.packedCount + 2 * l.classes
            + (prefersBackwardPairs(g) ? backwardPairsPreparedCount(g) : 0)
    }

    /// The weight-derived part of the input gradient, per residue class r: offsets over
    /// d = (mt, co, mh, mw) when `timeOuter` (class frames near the first or last frame then skip
    /// the taps that read zero padding, as one contiguous range), else d = (co, mt, mh, mw); weight panels W[co, ci, m·s + r], and table[2r], table[2r + 1] = where
    /// the class's offsets and panels start. Parallel over classes.
    static func prepareBackwardData(
        weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, into prepared: UnsafeMutablePointer<Float>
    ) {
        let l = BackwardLayout(g)
        let offsets = prepared
        let packed = prepared + l.offsetCount
        let table = packed + l.packedCount
        let co = g.outputChannels
        let ci = g.inputChannels
        let pd = l.padded
        let s = g.stride
        let k = g.kernel
        let panels = (ci + l.width - 1) / l.width
        // Where each class starts (a prefix sum over the classes' depths).
        var offsetStart = 0
        var packedStart = 0
        for r in 0..<l.classes {
            let mt = taps(residue: r / (s.h * s.w), kernel: k.t, stride: s.t)
            let mh = taps(residue: (r / s.w) % s.h, kernel: k.h, stride: s.h)
            let mw = taps(residue: r % s.w, kernel: k.w, stride: s.w)
            table[2 * r] = encode(offsetStart)
            table[2 * r + 1] = encode(packedStart)
            offsetStart += co * mt * mh * mw
            packedStart += panels * co * mt * mh * mw * l.width
        }
        Parallel.forEach(l.classes) { r in
            let rt = r / (s.h * s.w)
            let rh = (r / s.w) % s.h
            let rw = r % s.w
            let mt = taps(residue: rt, kernel: k.t, stride: s.t)
            let mh = taps(residue: rh, kernel: k.h, stride: s.h)
            let mw = taps(residue: rw, kernel: k.w, stride: s.w)
            let depth = co * mt * mh * mw
            let offsetStart = decode(table[2 * r])
            let packedStart = decode(table[2 * r + 1])
            var d = 0
            for outer in 0..<(l.timeOuter ? mt : co) {
                for inner in 0..<(l.timeOuter ? co : mt) {
                    let (qt, c) = l.timeOuter ? (outer, inner) : (inner, outer)
                    for qh in 0..<mh {
                        for qw in 0..<mw {
                            offsets[offsetStart + d] = encode(c * l.paddedVolume - (qt * pd.h + qh) * pd.w - qw)
                            let tap = ((qt * s.t + rt) * k.h + qh * s.h + rh) * k.w + qw * s.w + rw
                            for panel in 0..<panels {
                                let out = packed + packedStart + panel * depth * l.width + d * l.width
                                for j in 0..<l.width {
                                    let inputChannel = panel * l.width + j
                                    out[j] = inputChannel < ci ? weight[(c * ci + inputChannel) * k.volume + tap] : 0
                                }
                            }
                            d += 1
                        }
                    }
                }
            }
        }
        if prefersBackwardPairs(g) {
            prepareBackwardPairs(geometry: g, packed: packed, table: table, into: table + 2 * l.classes)
        }
    }

    /// gradInput (videos, inputChannels, input volume) = convᵀ(gradOutput, weight), overwriting.
    /// `prepared`: from `prepareBackwardData`, or nil to derive it in the workspace.
    static func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, blockFloats: Int = defaultBlockFloats, minimumBlockSteps: Int = defaultMinimumBlockSteps,
        prepared: UnsafePointer<Float>? = nil,
        workspace: UnsafeMutablePointer<Float>, into gradInput: UnsafeMutablePointer<Float>
    ) {
        let l = BackwardLayout(g, blockFloats: blockFloats, minimumBlockSteps: minimumBlockSteps)
        let pairs = prefersBackwardPairs(g)
        let sources = workspace
        let differences = sources + videos * l.sourceCount  // D1, D2 per video (pairs)
        let own = differences + (pairs ? 2 * videos * l.sourceCount : 0)
        let tiles = own + backwardDataPreparedCount(g)
        let slotCount = backwardSlotCount(g, l)
        if prepared == nil { prepareBackwardData(weight: weight, geometry: g, into: own) }
        let offsets = prepared ?? UnsafePointer(own)
        let packed = offsets + l.offsetCount
        let table = packed + l.packedCount

        fillPaddedGradOutput(
            gradOutput, videos: videos, g, padLow: l.padLow, padded: l.padded, sourceCount: l.sourceCount,
            threads: threads, into: sources)
        if pairs {
            fillDifferenceVolumes(sources, videos: videos, g, l, threads: threads, into: differences)
            backwardDataPairs(
                geometry: g, layout: l, videos: videos, threads: threads, offsets: offsets, packed: packed,
                table: table, sources: sources, differences: differences, slots: tiles, slotCount: slotCount,
                into: gradInput)
            return
        }

        let s = g.stride
        // Tasks: (video, class frame, class), frames beyond a class's range skipped. Every class of
        // one class frame reads the same gradOutput frames (those within the time taps), and the
        // next class frame reads most of them again, so they stay in L3 (fcs: 4 frames of 120
        // channels, 5.5 MB) rather than every class sweeping the whole video (17 MB per video,
        // more than L3 holds with two threads on two videos). Measured, interleaved, 2 threads:
        // fcs layer 1 input gradient 183-195 -> 159-161 ms, st layer 1 40.3-41.3 -> 37.2 ms.
        var maxFrames = 0
        for rt in 0..<s.t {
            let range = classRange(g, axis: 0, residue: rt)
            maxFrames = max(maxFrames, range.a1 - range.a0)
        }
        let items = videos * l.classes * maxFrames
        let tasks = max(1, min(threads, items))
        Parallel.forEach(tasks) { task in
            let slot = tiles + task * slotCount
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)!
            let frameTiles = tile + l.lanes * l.width
            for item in task * items / tasks..<(task + 1) * items / tasks {
                let n = item / (l.classes * maxFrames)
                let f = (item / l.classes) % maxFrames
                let r = item % l.classes
                let t = classRange(g, axis: 0, residue: r / (s.h * s.w))
                if f >= t.a1 - t.a0 { continue }
                backwardClassFrame(
                    geometry: g, layout: l, video: n, class: r, frame: t.a0 + f, offsets: offsets, packed: packed,
                    table: table, sources: sources, tile: tile, frameTiles: frameTiles, into: gradInput)
            }
        }
    }

    /// Class r's frame `at` (class-grid time) of video n: one `runFrame` over the class's depth.
    static func backwardClassFrame(
        geometry g: Conv3dGeometry, layout l: BackwardLayout, video n: Int, class r: Int, frame at: Int,
        offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>, table: UnsafePointer<Float>,
        sources: UnsafePointer<Float>, tile: UnsafeMutablePointer<Float>, frameTiles: UnsafeMutablePointer<Float>,
        into gradInput: UnsafeMutablePointer<Float>
    ) {
        let s = g.stride
        let co = g.outputChannels
        let ci = g.inputChannels
        let pd = l.padded
        let hw = g.input.h * g.input.w
        let rt = r / (s.h * s.w)
        let rh = (r / s.w) % s.h
        let rw = r % s.w
        let t = classRange(g, axis: 0, residue: rt)
        let h = classRange(g, axis: 1, residue: rh)
        let w = classRange(g, axis: 2, residue: rw)
        let depth = co * t.taps * h.taps * w.taps
        // Input position of class position (at, ah0, aw0): a·s + r − p per axis.
        let it = at * s.t + rt - g.padBefore.t
        let ih0 = h.a0 * s.h + rh - g.padBefore.h
        let iw0 = w.a0 * s.w + rw - g.padBefore.w
        let source = sources + n * l.sourceCount
            + ((at + l.padLow.t) * pd.h + h.a0 + l.padLow.h) * pd.w + w.a0 + l.padLow.w
        // Time taps that read frames of gradOutput (output frame at − qt in 0..<To).
        let qt0 = l.timeOuter ? max(0, at - g.output.t + 1) : 0
        let qt1 = l.timeOuter ? max(qt0, min(t.taps, at + 1)) : t.taps
        let perTap = co * h.taps * w.taps
        runFrame(
            depth: (qt1 - qt0) * perTap, channels: ci, offsets: offsets + decode(table[2 * r]) + qt0 * perTap,
            weights: packed + decode(table[2 * r + 1]) + qt0 * perTap * l.width, panelDepth: depth,
            source: source, rows: h.a1 - h.a0, columns: w.a1 - w.a0, pitch: pd.w,
            output: gradInput + n * g.inputCount + it * hw + ih0 * g.input.w + iw0,
            channelStride: g.input.volume, rowStride: s.h * g.input.w, columnStride: s.w, bias: nil, tile: tile,
            depthBlock: l.channelBlock * t.taps * h.taps * w.taps, frameTiles: frameTiles)
    }

    /// Copies gradOutput of every video into a zero-padded source of `sourceCount` floats per
    /// video: channel c's (padded) volume at c·padded.volume, the output at offset `padLow`, zeros
    /// elsewhere up to `sourceCount`. Parallel over (video, channel).
    static func fillPaddedGradOutput(
        _ gradOutput: UnsafePointer<Float>, videos: Int, _ g: Conv3dGeometry, padLow: Axis3, padded pd: Axis3,
        sourceCount: Int, threads: Int, into sources: UnsafeMutablePointer<Float>
    ) {
        let co = g.outputChannels
        let paddedVolume = pd.volume
        let planes = videos * co
        let chunks = min(threads, planes)
        Parallel.forEach(chunks) { chunk in
            for index in chunk * planes / chunks..<(chunk + 1) * planes / chunks {
                let n = index / co
                let c = index % co
                let dst = sources + n * sourceCount + c * paddedVolume
                let src = gradOutput + n * g.outputCount + c * g.output.volume
                dst.update(repeating: 0, count: paddedVolume)
                for t in 0..<g.output.t {
                    for h in 0..<g.output.h {
                        (dst + ((t + padLow.t) * pd.h + h + padLow.h) * pd.w + padLow.w)
                            .update(from: src + (t * g.output.h + h) * g.output.w, count: g.output.w)
                    }
                }
                if c == co - 1 {
                    (sources + n * sourceCount + co * paddedVolume).update(repeating: 0, count: sourceCount - co * paddedVolume)
                }
            }
        }
    }

    // MARK: The frame loop

    /// out[j, row, col] (+ bias[j]) = Σ_d weights[d, j] · source[row·pitch + col + offsets[d]] for
    /// every channel j, row < rows, col < columns of one frame; overwrites (or adds when
    /// `accumulate`). Channel j's outputs start at output + j·channelStride, or at
    /// output + channelOffsets[j] when given. Channel panel p's weights start at
    /// weights + p·panelDepth·width (panelDepth: depth, unless `depth` is a sub-range of it). The
    /// tile shape is that of `layerChannels` (default `channels`): a call on some of a layer's
    /// panels passes the layer's count, with which its weights were packed.
    ///
    /// With `frameTiles` (scratch for every tile of the frame) and `depthBlock` < depth, the depth
    /// runs in blocks over all tiles of the frame, so that the part of the source one block reads
    /// stays in L2 while the tiles sweep it; tiles are written out at the end.
    @inline(__always)
    static func runFrame(
        depth: Int, channels: Int, offsets: UnsafePointer<Float>, weights: UnsafePointer<Float>,
        panelDepth: Int? = nil, source: UnsafePointer<Float>, rows: Int, columns: Int, pitch: Int,
        output: UnsafeMutablePointer<Float>, channelStride: Int, rowStride: Int, columnStride: Int,
        bias: UnsafePointer<Float>?, tile: UnsafeMutablePointer<Float>,
        channelOffsets: UnsafePointer<Float>? = nil, accumulate: Bool = false,
        depthBlock: Int = Int.max, frameTiles: UnsafeMutablePointer<Float>? = nil, layerChannels: Int? = nil
    ) {
        if rows <= 0 || columns <= 0 { return }
        let (lanes, width) = tileShape(channels: layerChannels ?? channels)
        let panels = (channels + width - 1) / width
        let span = (rows - 1) * pitch + columns
        let tileCount = (span + lanes - 1) / lanes
        // With 128-lane tiles, a tail of at most 96 lanes past the last whole tile runs in one or
        // two 48-lane pieces (a 267-lane span of st's first layer computes 304 lanes, not 384);
        // they start at t·lanes and may read up to 47 lanes past the span (into the source's
        // slack; those lanes are never written out).
        let splitTail = lanes == 128 && span % lanes != 0 && span % lanes <= 96
        @inline(__always) func tileStart(_ t: Int) -> Int {
            // Otherwise the last tile is moved back to end at the span (when the span allows), so
            // no lane reads past the last position; its lanes before t·lanes belong to the
            // previous tile.
            splitTail ? t * lanes : min(t * lanes, max(0, span - lanes))
        }
        // Row tiles (`IndirectMicroKernels.rowTile16x3`): frames at most 16 columns wide with
        // 3-channel tiles run as groups of 4 to 8 whole rows, one vector per row, so no lanes go to
        // the row padding. Groups are balanced (14 rows: 7 + 7); `frameTileCount` sizes the
        // frame-tile scratch for them. Only where they compute no more lanes than the flat tiles:
        // st's 14–15 columns (15 of 16 lanes used, against 225 of 304), not st 32×64×64's 9–10
        // (10 of 16, against 100 of 128; its input gradient 11.4–12.3 → 9.2–9.8 ms in flat tiles).
        let flatLanes = splitTail ? span / lanes * lanes + roundUp(span % lanes, 48) : tileCount * lanes
        let rowMode = lanes == 128 && columns <= 16 && rows >= 4 && rows * 16 <= flatLanes
        let tiles = rowMode ? rowGroupCount(rows) : tileCount
        @inline(__always) func group(_ t: Int) -> (first: Int, count: Int) { rowGroup(t, rows: rows) }
        @inline(__always) func compute(_ t: Int, _ panel: Int, _ d0: Int, _ d1: Int, into buffer: UnsafeMutablePointer<Float>) {
            let start = tileStart(t)
            let panelWeights = weights + panel * (panelDepth ?? depth) * width + d0 * width
            if rowMode {
                let (first, count) = group(t)
                IndirectMicroKernels.rowTile16x3(
                    rows: count, depth: d1 - d0, offsets: offsets + d0, source: source + first * pitch, pitch: pitch,
                    weights: panelWeights, into: buffer, accumulate: d0 > 0)
            } else if splitTail && t == tileCount - 1 {
                var piece = 0
                while piece < span - start {
                    IndirectMicroKernels.tile48x3(
                        depth: d1 - d0, offsets: offsets + d0, source: source + start + piece, weights: panelWeights,
                        into: buffer + piece, tileStride: lanes, accumulate: d0 > 0)
                    piece += 48
                }
            } else if lanes == 128 {
                IndirectMicroKernels.tile128x3(
                    depth: d1 - d0, offsets: offsets + d0, source: source + start, weights: panelWeights, into: buffer,
                    accumulate: d0 > 0)
            } else {
                IndirectMicroKernels.tile32x12(
                    depth: d1 - d0, offsets: offsets + d0, source: source + start, weights: panelWeights, into: buffer,
                    accumulate: d0 > 0)
            }
        }
        @inline(__always) func scatterRows(_ t: Int, _ panel: Int, from buffer: UnsafePointer<Float>) {
            let (first, count) = group(t)
            for j in 0..<min(width, channels - panel * width) {
                let channel = panel * width + j
                let base = output + (channelOffsets.map { decode($0[channel]) } ?? channel * channelStride)
                let add = bias?[channel] ?? 0
                for r in 0..<count {
                    let out = base + (first + r) * rowStride
                    let values = buffer + lanes * j + 16 * r
                    if accumulate {
                        for i in 0..<columns { out[i * columnStride] += values[i] }
                    } else {
                        for i in 0..<columns { out[i * columnStride] = values[i] + add }
                    }
                }
            }
        }
        @inline(__always) func scatter(_ t: Int, _ panel: Int, from buffer: UnsafePointer<Float>) {
            if rowMode {
                scatterRows(t, panel, from: buffer)
                return
            }
            let q0 = t * lanes
            let start = tileStart(t)
            let count = min(width, channels - panel * width)
            // Channel by channel, so that each channel's writes run along memory.
            for j in 0..<count {
                let channel = panel * width + j
                let base = output + (channelOffsets.map { decode($0[channel]) } ?? channel * channelStride)
                let add = bias?[channel] ?? 0
                let values = buffer + lanes * j
                var row = q0 / pitch
                var col = q0 - row * pitch
                var lane = q0 - start
                while lane < lanes && row < rows {
                    // A run of lanes on one row: columns col..<min(columns, col + remaining).
                    let run = min(lanes - lane, columns - col)
                    if run > 0 {
                        let out = base + row * rowStride + col * columnStride
                        if accumulate {
                            for i in 0..<run { out[i * columnStride] += values[lane + i] }
                        } else {
                            for i in 0..<run { out[i * columnStride] = values[lane + i] + add }
                        }
                    }
                    // Skip to the next row's first column.
                    lane += pitch - col
                    col = 0
                    row += 1
                }
            }
        }
        if let frameTiles, depthBlock < depth {
            var d0 = 0
            while d0 < depth {
                let d1 = min(depth, d0 + depthBlock)
                for t in 0..<tiles {
                    for panel in 0..<panels { compute(t, panel, d0, d1, into: frameTiles + (t * panels + panel) * lanes * width) }
                }
                d0 = d1
            }
            for t in 0..<tiles {
                for panel in 0..<panels { scatter(t, panel, from: frameTiles + (t * panels + panel) * lanes * width) }
            }
        } else {
            for t in 0..<tiles {
                for panel in 0..<panels {
                    compute(t, panel, 0, depth, into: tile)
                    scatter(t, panel, from: tile)
                }
            }
        }
    }
}
