import STGTensor

/// The column matrix of one video and its adjoint (PyTorch's vol2col / col2vol, Caffe's im2col).
///
/// Columns (patchCount × output volume), row-major: row p = (ci, kt, kh, kw) (kernel tap of input
/// channel ci, width fastest), column l = (ot, oh, ow) (output position, width fastest; time is
/// the outermost spatial axis). Element (p, l) is input[ci, ot·st − pt + kt, oh·sh − ph + kh,
/// ow·sw − pw + kw], or 0 where that position is padding.
package enum Vol2Col {
    /// Range of output positions o in 0..<outputSize whose input position o·stride − pad + tap is
    /// inside 0..<inputSize.
    @inline(__always)
    static func validOutputs(tap: Int, pad: Int, stride: Int, inputSize: Int, outputSize: Int) -> Range<Int> {
        // o·stride ≥ pad − tap  and  o·stride ≤ inputSize − 1 + pad − tap.
        let low = min(outputSize, pad - tap > 0 ? (pad - tap + stride - 1) / stride : 0)
        let top = inputSize - 1 + pad - tap
        let high = top < 0 ? 0 : min(outputSize, top / stride + 1)
        return low < high ? low..<high : low..<low
    }

    /// Overwrites `columns` (patchCount × output volume) with the column matrix of one video
    /// `input` (inputChannels, t, h, w). Parallel over rows.
    ///
    /// With `frames`, only the columns of output frames `frames` are made: `columns` is then
    /// (patchCount × frames.count · output.h · output.w), the block of those columns.
    package static func expand(
        _ input: UnsafePointer<Float>, geometry g: Conv3dGeometry, threads: Int, frames: Range<Int>? = nil,
        into columns: UnsafeMutablePointer<Float>
    ) {
        let frames = frames ?? 0..<g.output.t
        let rows = g.patchCount
        let length = frames.count * g.output.h * g.output.w
        let chunks = max(1, min(threads, rows * length / 65_536, rows))
        Parallel.forEach(chunks) { chunk in
            for p in chunk * rows / chunks..<(chunk + 1) * rows / chunks {
                expandRow(p, input, g, frames, columns + p * length)
            }
        }
    }

    @inline(__always)
    private static func expandRow(
        _ p: Int, _ input: UnsafePointer<Float>, _ g: Conv3dGeometry, _ frames: Range<Int>,
        _ row: UnsafeMutablePointer<Float>
    ) {
        // p = ((ci·kt + kt)·kh + kh)·kw + kw
        let kw = p % g.kernel.w
        let kh = (p / g.kernel.w) % g.kernel.h
        let kt = (p / (g.kernel.w * g.kernel.h)) % g.kernel.t
        let ci = p / g.kernel.volume
        let plane = g.input.h * g.input.w
        let channel = input + ci * g.input.volume
        let outPlane = g.output.h * g.output.w
        let sw = g.stride.w
        let valid = validOutputs(tap: kt, pad: g.padBefore.t, stride: g.stride.t, inputSize: g.input.t, outputSize: g.output.t)
        let ts = valid.clamped(to: frames)
        let hs = validOutputs(tap: kh, pad: g.padBefore.h, stride: g.stride.h, inputSize: g.input.h, outputSize: g.output.h)
        let ws = validOutputs(tap: kw, pad: g.padBefore.w, stride: g.stride.w, inputSize: g.input.w, outputSize: g.output.w)
        // Whole output frames that read padding (row position of frame ot: ot − frames.lowerBound).
        if ts.isEmpty {
            row.update(repeating: 0, count: frames.count * outPlane)
            return
        }
        row.update(repeating: 0, count: (ts.lowerBound - frames.lowerBound) * outPlane)
        (row + (ts.upperBound - frames.lowerBound) * outPlane)
            .update(repeating: 0, count: (frames.upperBound - ts.upperBound) * outPlane)
        for ot in ts {
            let frame = channel + (ot * g.stride.t - g.padBefore.t + kt) * plane
            let out = row + (ot - frames.lowerBound) * outPlane
            out.update(repeating: 0, count: hs.lowerBound * g.output.w)
            (out + hs.upperBound * g.output.w).update(repeating: 0, count: (g.output.h - hs.upperBound) * g.output.w)
            for oh in hs {
                let line = out + oh * g.output.w
                // Input index of output column ow: ow·sw − pw + kw.
                let source = frame + (oh * g.stride.h - g.padBefore.h + kh) * g.input.w - g.padBefore.w + kw
                line.update(repeating: 0, count: ws.lowerBound)
                if sw == 1 {
                    (line + ws.lowerBound).update(from: source + ws.lowerBound, count: ws.count)
                } else if sw == 2 {
                    // 16 columns from 32 consecutive inputs (their even lanes); a block runs only
                    // while its last, odd input lies before the row's last column's input.
                    var ow = ws.lowerBound
                    while ow + 16 < ws.upperBound {
                        let a = UnsafeRawPointer(source + 2 * ow).loadUnaligned(as: SIMD16<Float>.self)
                        let b = UnsafeRawPointer(source + 2 * ow + 16).loadUnaligned(as: SIMD16<Float>.self)
                        UnsafeMutableRawPointer(line + ow).storeBytes(of: evens(a, b), as: SIMD16<Float>.self)
                        ow += 16
                    }
                    for o in ow..<ws.upperBound { line[o] = source[o * 2] }
                } else {
                    for ow in ws { line[ow] = source[ow * sw] }
                }
                (line + ws.upperBound).update(repeating: 0, count: g.output.w - ws.upperBound)
            }
        }
    }

    /// `expand` from the video's phase source (`IndirectConvolution.fillPhaseSources`), for large
    /// strides: row p = (ci, kt, kh, kw) of output frame ot is the phase plane of (ci, k mod s) read
    /// at (ot + kt/st, oh + kh/sh, ow + kw/sw), so each output row is one contiguous copy of
    /// output.w floats instead of output.w reads a stride apart. Padding reads the planes' zeros,
    /// so the columns are the same values `expand` makes. Parallel over rows.
    static func expand(
        phases source: UnsafePointer<Float>, geometry g: Conv3dGeometry, threads: Int, frames: Range<Int>,
        into columns: UnsafeMutablePointer<Float>
    ) {
        let l = IndirectConvolution.ForwardLayout(g)
        let rows = g.patchCount
        let outPlane = g.output.h * g.output.w
        let length = frames.count * outPlane
        let k = g.kernel
        let chunks = max(1, min(threads, rows * length / 65_536, rows))
        Parallel.forEach(chunks) { chunk in
            for p in chunk * rows / chunks..<(chunk + 1) * rows / chunks {
                let kw = p % k.w
                let kh = (p / k.w) % k.h
                let kt = (p / (k.w * k.h)) % k.t
                let tap = source + l.tapOffset(g, channel: p / k.volume, kt: kt, kh: kh, kw: kw)
                let row = columns + p * length
                for ot in frames {
                    let frame = tap + ot * l.a.h * l.a.w
                    let out = row + (ot - frames.lowerBound) * outPlane
                    for oh in 0..<g.output.h {
                        (out + oh * g.output.w).update(from: frame + oh * l.a.w, count: g.output.w)
                    }
                }
            }
        }
    }

    /// Overwrites `input` (inputChannels, t, h, w) with the adjoint of `expand` applied to
    /// `columns`: every column element is added back to the input position it was read from.
    /// Parallel over (channel, frame) planes, which receive disjoint writes; each element's sum
    /// runs in a fixed order (kt, kh, kw, oh, ow), so results do not depend on the thread count.
    package static func collapse(
        _ columns: UnsafePointer<Float>, geometry g: Conv3dGeometry, threads: Int,
        into input: UnsafeMutablePointer<Float>
    ) {
        let planes = g.inputChannels * g.input.t
        let chunks = max(1, min(threads, planes, g.patchCount * g.output.volume / 65_536))
        Parallel.forEach(chunks) { chunk in
            for index in chunk * planes / chunks..<(chunk + 1) * planes / chunks {
                collapsePlane(index, columns, g, input + index * g.input.h * g.input.w)
            }
        }
    }

    @inline(__always)
    private static func collapsePlane(
        _ index: Int, _ columns: UnsafePointer<Float>, _ g: Conv3dGeometry, _ plane: UnsafeMutablePointer<Float>
    ) {
        let ci = index / g.input.t
        let it = index % g.input.t
        let L = g.output.volume
        let outPlane = g.output.h * g.output.w
        let sw = g.stride.w
        plane.update(repeating: 0, count: g.input.h * g.input.w)
        for kt in 0..<g.kernel.t {
            // Output frame ot reads input frame ot·st − pt + kt = it.
            let shifted = it + g.padBefore.t - kt
            if shifted < 0 || shifted % g.stride.t != 0 { continue }
            let ot = shifted / g.stride.t
            if ot >= g.output.t { continue }
            for kh in 0..<g.kernel.h {
                let hs = validOutputs(
                    tap: kh, pad: g.padBefore.h, stride: g.stride.h, inputSize: g.input.h, outputSize: g.output.h)
                for kw in 0..<g.kernel.w {
                    let ws = validOutputs(
                        tap: kw, pad: g.padBefore.w, stride: g.stride.w, inputSize: g.input.w, outputSize: g.output.w)
                    if ws.isEmpty { continue }
                    let p = ((ci * g.kernel.t + kt) * g.kernel.h + kh) * g.kernel.w + kw
                    let frame = columns + p * L + ot * outPlane
                    for oh in hs {
                        let source = frame + oh * g.output.w
                        let target = plane + (oh * g.stride.h - g.padBefore.h + kh) * g.input.w - g.padBefore.w + kw
                        if sw == 1 {
                            for ow in ws { target[ow] += source[ow] }
                        } else {
                            for ow in ws { target[ow * sw] += source[ow] }
                        }
                    }
                }
            }
        }
    }
}
