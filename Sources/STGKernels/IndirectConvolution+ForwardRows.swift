import STGTensor

/// The forward in row tiles, for outputs at most 16 columns wide (st's first layer: 15 × 15
/// frames of a 15³ stride-7 kernel).
///
/// The flat forward (`runFrame`) spans each output frame with 32-lane tiles over positions
/// row·pitch + column and runs every kernel row on every tile, including the rows that read the
/// zero padding above the first and below the last input row. Here each output row is one SIMD16
/// (`tile32x12` with its second vector one pitch further for two rows, `tile16x12` for one), so a
/// tile knows its rows and runs only the kernel rows kh that land inside the input for at least
/// one of them. Rows whose kernel rows all land inside ("interior") go in pairs; the rows above
/// and below them, which skip some kernel rows, go alone. On st's first layer (pads 6 and 7, 15
/// rows) this computes 16 · (9 + 13 · 15 + 8) = 3392 lane-rows per (time tap, channel, kernel
/// column) instead of 8 · 32 · 15 = 3840.
extension IndirectConvolution {
    /// The row tiles of one output frame: rows before `interior` and from `interiorEnd` on alone,
    /// the rows between in pairs (the last alone when their count is odd).
    struct ForwardRows {
        let rows: Int
        let interior: Int
        let interiorEnd: Int
        let pairs: Int
        let tiles: Int
        let stride: Int
        let padBefore: Int
        let kernel: Int
        let input: Int

        init(_ g: Conv3dGeometry) {
            rows = g.output.h
            stride = g.stride.h
            padBefore = g.padBefore.h
            kernel = g.kernel.h
            input = g.input.h
            // Row r reads input rows r·s − p + kh, all inside when p ≤ r·s and r·s − p + K ≤ H.
            interior = min(rows, ceilDiv(padBefore, stride))
            let last = input + padBefore - kernel
            interiorEnd = last < 0 ? interior : max(interior, min(rows, last / stride + 1))
            pairs = (interiorEnd - interior + 1) / 2
            tiles = interior + pairs + (rows - interiorEnd)
        }

        /// Rows first..<first + count of tile t.
        @inline(__always) func tile(_ t: Int) -> (first: Int, count: Int) {
            if t < interior { return (t, 1) }
            if t < interior + pairs {
                let first = interior + 2 * (t - interior)
                return (first, min(2, interiorEnd - first))
            }
            return (interiorEnd + t - interior - pairs, 1)
        }

        /// Kernel rows kh0..<kh1 that land inside the input for at least one of the tile's rows.
        @inline(__always) func kernelRows(first: Int, count: Int) -> (kh0: Int, kh1: Int) {
            (max(0, padBefore - (first + count - 1) * stride), min(kernel, input + padBefore - first * stride))
        }

        /// Lanes × kernel rows the row tiles compute for one (time tap, channel, kernel column).
        var work: Int {
            var total = 0
            for t in 0..<tiles {
                let (first, count) = tile(t)
                let (kh0, kh1) = kernelRows(first: first, count: count)
                total += 16 * count * max(0, kh1 - kh0)
            }
            return total
        }
    }

    /// True when the output is at most 16 columns wide, the tiles have 12 channels, and row tiles
    /// compute fewer lanes × kernel rows than the flat 32-lane tiles (with their lanes on the row
    /// padding, and every kernel row).
    package static func prefersForwardRows(_ g: Conv3dGeometry) -> Bool {
        let l = ForwardLayout(g)
        guard l.lanes == 32, g.output.w <= 16, g.output.h >= 2 else { return false }
        let span = (g.output.h - 1) * l.a.w + g.output.w
        let flat = frameTileCount(rows: g.output.h, span: span, lanes: l.lanes) * l.lanes * g.kernel.h
        return ForwardRows(g).work < flat
    }

    /// One output frame of the forward in row tiles: out[j, row, col] = bias[j] + Σ_d weights[d, j]
    /// · source[row·pitch + col + offsets[d]] over the depth steps d = (kt, ci, kh, kw) of time taps
    /// kt0..<kt1 with kh inside the input for the row's tile. The depth runs one (kt, ci) block at a
    /// time over every tile and panel of the frame (the block's source stays in L1), summing in
    /// `frameTiles`.
    static func runRowFrame(
        _ r: ForwardRows, geometry g: Conv3dGeometry, layout l: ForwardLayout, timeTaps kt0: Int, _ kt1: Int,
        panels: Range<Int>, offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>, source: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, frameTiles: UnsafeMutablePointer<Float>
    ) {
        let panelCount = (g.outputChannels + l.width - 1) / l.width
        frameTiles.update(repeating: 0, count: r.tiles * panelCount * l.lanes * l.width)
        for block in kt0 * g.inputChannels..<kt1 * g.inputChannels {
            accumulateRowBlock(
                r, geometry: g, layout: l, block: block, panels: panels, offsets: offsets, packed: packed,
                panelDepth: l.depth, source: source, frameTiles: frameTiles)
        }
        writeRowFrame(r, geometry: g, layout: l, panels: panels, frameTiles: frameTiles, bias: bias, output: output)
    }

    /// Adds depth block `block` (steps block·Kh·Kw ..< (block + 1)·Kh·Kw of `offsets` and of the
    /// panels, `panelDepth` steps per panel) to every row tile of the frame, panels `panels`.
    @inline(__always)
    static func accumulateRowBlock(
        _ r: ForwardRows, geometry g: Conv3dGeometry, layout l: ForwardLayout, block: Int, panels: Range<Int>,
        offsets: UnsafePointer<Float>, packed: UnsafePointer<Float>, panelDepth: Int, source: UnsafePointer<Float>,
        frameTiles: UnsafeMutablePointer<Float>
    ) {
        let panelCount = (g.outputChannels + l.width - 1) / l.width
        let tileFloats = l.lanes * l.width
        let kw = g.kernel.w
        let blockSteps = g.kernel.h * kw
        let pitch = l.a.w
        for t in 0..<r.tiles {
            let (first, count) = r.tile(t)
            let (kh0, kh1) = r.kernelRows(first: first, count: count)
            if kh1 <= kh0 { continue }
            let d0 = block * blockSteps + kh0 * kw
            let steps = (kh1 - kh0) * kw
            let tileSource = source + first * pitch
            for panel in panels {
                let buffer = frameTiles + (t * panelCount + panel) * tileFloats
                let weights = packed + panel * panelDepth * l.width + d0 * l.width
                if count == 2 {
                    IndirectMicroKernels.tile32x12(
                        depth: steps, offsets: offsets + d0, source: tileSource, weights: weights, into: buffer,
                        accumulate: true, secondRow: pitch)
                } else {
                    IndirectMicroKernels.tile16x12(
                        depth: steps, offsets: offsets + d0, source: tileSource, weights: weights, into: buffer,
                        accumulate: true)
                }
            }
        }
    }

    /// Writes the frame's sums plus bias to `output` (one output frame), filters of `panels`.
    static func writeRowFrame(
        _ r: ForwardRows, geometry g: Conv3dGeometry, layout l: ForwardLayout, panels: Range<Int>,
        frameTiles: UnsafePointer<Float>, bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let co = g.outputChannels
        let panelCount = (co + l.width - 1) / l.width
        let tileFloats = l.lanes * l.width
        for t in 0..<r.tiles {
            let (first, count) = r.tile(t)
            for panel in panels {
                let buffer = frameTiles + (t * panelCount + panel) * tileFloats
                for j in 0..<min(l.width, co - panel * l.width) {
                    let channel = panel * l.width + j
                    let add = bias[channel]
                    for row in 0..<count {
                        let out = output + channel * g.output.volume + (first + row) * g.output.w
                        let values = buffer + l.lanes * j + 16 * row
                        for column in 0..<g.output.w { out[column] = values[column] + add }
                    }
                }
            }
        }
    }
}
