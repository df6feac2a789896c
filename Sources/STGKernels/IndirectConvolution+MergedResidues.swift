import STGTensor

/// The input gradient with the height and width residue classes merged into the channels (the
/// sub-pixel or "pixel shuffle" form of a transposed convolution), for few input channels.
///
/// With few input channels the per-class input gradient has too few output channels for the
/// 32 × 12 micro-kernel. Here every class of one time residue rt shares the same source reads:
/// class position (a_h, a_w) reads gradOutput[·, a_h − m_h, a_w − m_w] for m < M = ⌈K / s⌉ on every
/// class (taps k = m·s + r ≥ K get zero weights), so the channels become j = (ci, rh, rw)
/// (inputChannels·sh·sw of them) and one tile feeds all of them. The results land in a buffer
/// ("shuffled gradient", (inputChannels, t, Ah·sh, Aw·sw) per video, rows and columns covering
/// every class's grid) whose valid window is then copied into gradInput. The extra zero taps
/// cost (M·s/K)² more multiply-adds in height and width, paid back by the wider micro-kernel.
extension IndirectConvolution {
    struct MergedLayout {
        let padLow: Axis3
        let padded: Axis3  // Td, Hd, Wd of the zero-padded gradOutput
        let paddedVolume: Int
        let sourceCount: Int
        let taps: Axis3  // M per axis (height and width: the largest class; time: per class)
        let gridStart: Axis3  // A0 (height and width)
        let grid: Axis3  // A1 − A0 (height and width)
        let shuffled: Axis3  // (t, Ah·sh, Aw·sw)
        let shuffledCount: Int  // one video
        let channels: Int  // inputChannels·sh·sw
        let lanes: Int
        let width: Int
        let depthMax: Int  // outputChannels · Mt · Mh · Mw (largest time class)
        let packedCount: Int  // all time classes
        let frameTilesCount: Int
        let channelBlock: Int

        init(_ g: Conv3dGeometry, blockFloats: Int) {
            var low = Axis3(0)
            var high = Axis3(0)
            var taps = Axis3(0)
            var start = Axis3(0)
            var grid = Axis3(0)
            for axis in 0..<3 {
                let s = g.stride[axis]
                let p = g.padBefore[axis]
                let m = IndirectConvolution.taps(residue: 0, kernel: g.kernel[axis], stride: s)
                taps[axis] = m
                var a0 = Int.max
                var a1 = Int.min
                for r in 0..<s {
                    let range = (ceilDiv(p - r, s), ceilDiv(g.input[axis] + p - r, s))
                    a0 = min(a0, range.0)
                    a1 = max(a1, range.1)
                    if axis == 0 {
                        // Time keeps exact classes.
                        let mt = IndirectConvolution.taps(residue: r, kernel: g.kernel[axis], stride: s)
                        if mt > 0 { low[axis] = max(low[axis], -(range.0 - mt + 1)) }
                        high[axis] = max(high[axis], range.1 - g.output[axis])
                    }
                }
                if axis > 0 {
                    low[axis] = max(0, -(a0 - m + 1))
                    high[axis] = max(0, a1 - g.output[axis])
                }
                start[axis] = a0
                grid[axis] = a1 - a0
            }
            padLow = low
            var padded = Axis3(0)
            for axis in 0..<3 { padded[axis] = g.output[axis] + low[axis] + high[axis] }
            self.padded = padded
            paddedVolume = padded.volume
            self.taps = taps
            gridStart = start
            self.grid = grid
            shuffled = Axis3(t: g.input.t, h: grid.h * g.stride.h, w: grid.w * g.stride.w)
            shuffledCount = g.inputChannels * shuffled.volume
            channels = g.inputChannels * g.stride.h * g.stride.w
            (lanes, width) = tileShape(channels: channels)
            sourceCount = g.outputChannels * paddedVolume + 2 * lanes + padded.h * padded.w + IndirectConvolution.slack
            depthMax = g.outputChannels * taps.t * taps.h * taps.w
            packedCount = roundUp(channels, width) * depthMax * g.stride.t
            frameTilesCount = (frameTileCount(rows: padded.h, span: padded.h * padded.w, lanes: lanes) + 1)
                * roundUp(channels, width) * lanes
            channelBlock = max(1, blockFloats / max(1, taps.t * padded.h * padded.w))
        }
    }

    /// True when merging the residue classes pays. Currently never: with the channel-major tile
    /// write-out, separate classes measured as fast or faster on every preset (per CPU-second:
    /// fcs64 layer 1 184 separate vs 136 merged GFLOP/s, fcs layer 1 134 vs 135, st layer 1 158
    /// vs 85); `GEMMConv3d.ResidueClasses.merged` still selects it.
    static func prefersMergedResidues(_ g: Conv3dGeometry) -> Bool {
        false
    }

    static func mergedWorkspaceCount(_ g: Conv3dGeometry, videos: Int, threads: Int) -> Int {
        let l = MergedLayout(g, blockFloats: defaultBlockFloats)
        return videos * (l.sourceCount + l.shuffledCount) + l.depthMax * g.stride.t + l.packedCount + l.channels
            + threads * (l.frameTilesCount + l.lanes * l.width + 32) + 64
    }

    /// gradInput (videos, inputChannels, input volume) = convᵀ(gradOutput, weight), overwriting.
    static func backwardDataMerged(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>, videos: Int, geometry g: Conv3dGeometry,
        threads: Int, blockFloats: Int = defaultBlockFloats, workspace: UnsafeMutablePointer<Float>,
        into gradInput: UnsafeMutablePointer<Float>
    ) {
        let l = MergedLayout(g, blockFloats: blockFloats)
        let co = g.outputChannels
        let ci = g.inputChannels
        let s = g.stride
        let k = g.kernel
        let pd = l.padded
        let sources = workspace
        let shuffled = sources + videos * l.sourceCount
        let offsets = shuffled + videos * l.shuffledCount  // per time class: depthMax
        let packed = offsets + l.depthMax * s.t  // per time class: panels × depthMax × width
        let channelOffsets = packed + l.packedCount
        let tiles = channelOffsets + l.channels

        fillPaddedGradOutput(
            gradOutput, videos: videos, g, padLow: l.padLow, padded: l.padded, sourceCount: l.sourceCount,
            threads: threads, into: sources)

        // Per time class rt: depth d = (co, mt, mh, mw), channel j = (ci, rh, rw) with weight
        // W[co, ci, mt·st + rt, mh·sh + rh, mw·sw + rw] (0 past the kernel).
        let panels = (l.channels + l.width - 1) / l.width
        for rt in 0..<s.t {
            let mt = taps(residue: rt, kernel: k.t, stride: s.t)
            let depth = co * mt * l.taps.h * l.taps.w
            let classOffsets = offsets + rt * l.depthMax
            let classPacked = packed + rt * panels * l.depthMax * l.width
            var d = 0
            for c in 0..<co {
                for qt in 0..<mt {
                    for qh in 0..<l.taps.h {
                        for qw in 0..<l.taps.w {
                            classOffsets[d] = encode(c * l.paddedVolume - (qt * pd.h + qh) * pd.w - qw)
                            for panel in 0..<panels {
                                let out = classPacked + panel * depth * l.width + d * l.width
                                for jj in 0..<l.width {
                                    let j = panel * l.width + jj
                                    var value: Float = 0
                                    if j < l.channels {
                                        let inputChannel = j / (s.h * s.w)
                                        let kh = qh * s.h + (j / s.w) % s.h
                                        let kw = qw * s.w + j % s.w
                                        if kh < k.h && kw < k.w {
                                            value = weight[(((c * ci + inputChannel) * k.t + qt * s.t + rt) * k.h + kh) * k.w + kw]
                                        }
                                    }
                                    out[jj] = value
                                }
                            }
                            d += 1
                        }
                    }
                }
            }
        }
        // Channel j = (ci, rh, rw) starts at shuffled[ci, ·, rh, rw].
        for j in 0..<l.channels {
            let inputChannel = j / (s.h * s.w)
            channelOffsets[j] = encode(inputChannel * l.shuffled.volume + (j / s.w) % s.h * l.shuffled.w + j % s.w)
        }

        var maxFrames = 0
        for rt in 0..<s.t {
            let range = classRange(g, axis: 0, residue: rt)
            maxFrames = max(maxFrames, range.a1 - range.a0)
        }
        let items = videos * s.t * maxFrames
        let tasks = max(1, min(threads, items))
        let shuffledPlane = l.shuffled.h * l.shuffled.w
        Parallel.forEach(tasks) { task in
            let slot = tiles + task * (l.frameTilesCount + l.lanes * l.width + 32)
            let tile = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: slot) + 63) & ~63)!
            let frameTiles = tile + l.lanes * l.width
            for item in task * items / tasks..<(task + 1) * items / tasks {
                let n = item / (s.t * maxFrames)
                let rt = (item / maxFrames) % s.t
                let f = item % maxFrames
                let t = classRange(g, axis: 0, residue: rt)
                if f >= t.a1 - t.a0 { continue }
                let depth = co * t.taps * l.taps.h * l.taps.w
                let at = t.a0 + f
                let it = at * s.t + rt - g.padBefore.t
                let source = sources + n * l.sourceCount
                    + ((at + l.padLow.t) * pd.h + l.gridStart.h + l.padLow.h) * pd.w + l.gridStart.w + l.padLow.w
                runFrame(
                    depth: depth, channels: l.channels, offsets: offsets + rt * l.depthMax,
                    weights: packed + rt * panels * l.depthMax * l.width,
                    source: source, rows: l.grid.h, columns: l.grid.w, pitch: pd.w,
                    output: shuffled + n * l.shuffledCount + it * shuffledPlane,
                    channelStride: 0, rowStride: s.h * l.shuffled.w, columnStride: s.w, bias: nil, tile: tile,
                    channelOffsets: channelOffsets,
                    depthBlock: l.channelBlock * t.taps * l.taps.h * l.taps.w, frameTiles: frameTiles)
            }
        }

        // gradInput[ci, it, ih, iw] = shuffled[ci, it, ih − δh, iw − δw], δ = A0·s − p.
        let dh = l.gridStart.h * s.h - g.padBefore.h
        let dw = l.gridStart.w * s.w - g.padBefore.w
        let rows = videos * ci * g.input.t
        Parallel.forEach(min(threads, rows)) { chunk in
            let chunks = min(threads, rows)
            for index in chunk * rows / chunks..<(chunk + 1) * rows / chunks {
                let n = index / (ci * g.input.t)
                let plane = index % (ci * g.input.t)
                let src = shuffled + n * l.shuffledCount + plane * shuffledPlane
                let dst = gradInput + n * g.inputCount + plane * g.input.h * g.input.w
                for ih in 0..<g.input.h {
                    (dst + ih * g.input.w).update(from: src + (ih - dh) * l.shuffled.w - dw, count: g.input.w)
                }
            }
        }
    }
}
