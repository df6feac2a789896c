/// The algorithmic reference for 3D convolution: direct loops, one output (or input) element at a
/// time, accumulated in Double. Slow and obviously correct; fast kernels are tested against it.
package struct ReferenceConv3d: Conv3dKernels {
    package init() {}
    package var name: String { "reference" }
    package func workspaceCount(geometry: Conv3dGeometry, videos: Int) -> Int { 0 }
    package func preparedCount(geometry: Conv3dGeometry) -> Int { 0 }
    package func prepare(weight: UnsafePointer<Float>, geometry: Conv3dGeometry, into prepared: UnsafeMutablePointer<Float>) {}

    package func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        videos: Int, geometry g: Conv3dGeometry, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>
    ) {
        for n in 0..<videos {
            let x = input + n * g.inputCount
            let y = output + n * g.outputCount
            for co in 0..<g.outputChannels {
                for ot in 0..<g.output.t {
                    for oh in 0..<g.output.h {
                        for ow in 0..<g.output.w {
                            var sum = Double(bias[co])
                            forEachTap(g, ot, oh, ow) { ci, tap, inputIndex in
                                let w = weight[(co * g.inputChannels + ci) * g.kernel.volume + tap]
                                sum += Double(w) * Double(x[ci * g.input.volume + inputIndex])
                            }
                            y[((co * g.output.t + ot) * g.output.h + oh) * g.output.w + ow] = Float(sum)
                        }
                    }
                }
            }
        }
    }

    package func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        videos: Int, geometry g: Conv3dGeometry, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into gradInput: UnsafeMutablePointer<Float>
    ) {
        var accumulator = [Double](repeating: 0, count: g.inputCount)
        for n in 0..<videos {
            for i in accumulator.indices { accumulator[i] = 0 }
            let dy = gradOutput + n * g.outputCount
            for co in 0..<g.outputChannels {
                for ot in 0..<g.output.t {
                    for oh in 0..<g.output.h {
                        for ow in 0..<g.output.w {
                            let d = Double(dy[((co * g.output.t + ot) * g.output.h + oh) * g.output.w + ow])
                            if d == 0 { continue }
                            forEachTap(g, ot, oh, ow) { ci, tap, inputIndex in
                                let w = weight[(co * g.inputChannels + ci) * g.kernel.volume + tap]
                                accumulator[ci * g.input.volume + inputIndex] += Double(w) * d
                            }
                        }
                    }
                }
            }
            let dx = gradInput + n * g.inputCount
            for i in 0..<g.inputCount { dx[i] = Float(accumulator[i]) }
        }
    }

    package func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        videos: Int, geometry g: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>
    ) {
        var dw = [Double](repeating: 0, count: g.weightCount)
        var db = [Double](repeating: 0, count: g.outputChannels)
        for n in 0..<videos {
            let x = input + n * g.inputCount
            let dy = gradOutput + n * g.outputCount
            for co in 0..<g.outputChannels {
                for ot in 0..<g.output.t {
                    for oh in 0..<g.output.h {
                        for ow in 0..<g.output.w {
                            let d = Double(dy[((co * g.output.t + ot) * g.output.h + oh) * g.output.w + ow])
                            db[co] += d
                            if d == 0 { continue }
                            forEachTap(g, ot, oh, ow) { ci, tap, inputIndex in
                                dw[(co * g.inputChannels + ci) * g.kernel.volume + tap] +=
                                    Double(x[ci * g.input.volume + inputIndex]) * d
                            }
                        }
                    }
                }
            }
        }
        for i in 0..<g.weightCount { gradWeight[i] += Float(dw[i]) }
        for i in 0..<g.outputChannels { gradBias[i] += Float(db[i]) }
    }

    /// Calls `body(inputChannel, tap, inputIndex)` for every kernel tap of output position
    /// (ot, oh, ow) that lands inside the input (padding taps are skipped: they read zeros).
    /// `tap` indexes the kernel volume (kt, kh, kw) row-major; `inputIndex` the input volume.
    @inline(__always)
    private func forEachTap(
        _ g: Conv3dGeometry, _ ot: Int, _ oh: Int, _ ow: Int, _ body: (Int, Int, Int) -> Void
    ) {
        for kt in 0..<g.kernel.t {
            let it = ot * g.stride.t - g.padBefore.t + kt
            if it < 0 || it >= g.input.t { continue }
            for kh in 0..<g.kernel.h {
                let ih = oh * g.stride.h - g.padBefore.h + kh
                if ih < 0 || ih >= g.input.h { continue }
                for kw in 0..<g.kernel.w {
                    let iw = ow * g.stride.w - g.padBefore.w + kw
                    if iw < 0 || iw >= g.input.w { continue }
                    let tap = (kt * g.kernel.h + kh) * g.kernel.w + kw
                    let inputIndex = (it * g.input.h + ih) * g.input.w + iw
                    for ci in 0..<g.inputChannels { body(ci, tap, inputIndex) }
                }
            }
        }
    }
}
