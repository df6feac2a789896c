import STGKernels
import STGTensor
import XCTest

/// Central finite differences of a stack of three conv + bias + ReLU layers whose energy is the
/// sum of the top outputs, against the gradients GEMMConv3d's backward ops give.
final class Conv3dGradientTests: XCTestCase {
    /// One video's conv + bias in Double, straight from the definition (for finite differences).
    private func convDouble(_ x: [Double], _ w: [Double], _ b: [Double], _ g: Conv3dGeometry) -> [Double] {
        var y = [Double](repeating: 0, count: g.outputCount)
        for co in 0..<g.outputChannels {
            for ot in 0..<g.output.t {
                for oh in 0..<g.output.h {
                    for ow in 0..<g.output.w {
                        var sum = b[co]
                        for ci in 0..<g.inputChannels {
                            for kt in 0..<g.kernel.t {
                                let it = ot * g.stride.t - g.padBefore.t + kt
                                if it < 0 || it >= g.input.t { continue }
                                for kh in 0..<g.kernel.h {
                                    let ih = oh * g.stride.h - g.padBefore.h + kh
                                    if ih < 0 || ih >= g.input.h { continue }
                                    for kw in 0..<g.kernel.w {
                                        let iw = ow * g.stride.w - g.padBefore.w + kw
                                        if iw < 0 || iw >= g.input.w { continue }
                                        let wi = (((co * g.inputChannels + ci) * g.kernel.t + kt) * g.kernel.h + kh) * g.kernel.w + kw
                                        sum += w[wi] * x[((ci * g.input.t + it) * g.input.h + ih) * g.input.w + iw]
                                    }
                                }
                            }
                        }
                        y[((co * g.output.t + ot) * g.output.h + oh) * g.output.w + ow] = sum
                    }
                }
            }
        }
        return y
    }

    private func geometries() throws -> [Conv3dGeometry] {
        let first = try Conv3dGeometry(
            inputChannels: 2, outputChannels: 4, input: [5, 6, 7], kernel: 3, stride: 2, padding: .same)
        let second = try Conv3dGeometry(
            inputChannels: 4, outputChannels: 3, input: first.output, kernel: [2, 3, 4], stride: 1,
            padding: .explicit([1, 0, 0]))
        let third = try Conv3dGeometry(
            inputChannels: 3, outputChannels: 2, input: second.output, kernel: [2, 1, 1], stride: [1, 2, 2],
            padding: .explicit([1, 0, 0]))
        return [first, second, third]
    }

    /// Energy Σ top outputs of the ReLU stack, in Double.
    private func energy(_ x: [Double], _ weights: [[Double]], _ biases: [[Double]], _ gs: [Conv3dGeometry]) -> Double {
        var a = x
        for l in 0..<3 { a = convDouble(a, weights[l], biases[l], gs[l]).map { max($0, 0) } }
        return a.reduce(0, +)
    }

    func testFiniteDifferencesOfThreeLayerStack() throws {
        // Small shapes take the column path under `.automatic`; `.indirect` covers the other.
        for strategy in [GEMMConv3d.Strategy.automatic, .indirect] {
            try checkFiniteDifferences(GEMMConv3d(strategy: strategy))
        }
    }

    private func checkFiniteDifferences(_ kernels: GEMMConv3d) throws {
        let gs = try geometries()
        let x = randomValues(gs[0].inputCount, seed: 11)
        // Positive-leaning biases keep most units active, so the energy reaches every layer.
        let weights = (0..<3).map { randomValues(gs[$0].weightCount, seed: UInt64(20 + $0)).map { $0 * 0.6 } }
        let biases = (0..<3).map { randomValues(gs[$0].outputChannels, seed: UInt64(30 + $0)).map { $0 * 0.3 + 0.2 } }

        // Analytic gradients with the fast kernels (Float).
        let runners = gs.map { ConvRunner(kernels: kernels, geometry: $0, videos: 1) }
        var activations = [x]
        for l in 0..<3 {
            var y = runners[l].forward(activations[l], weights[l], biases[l])
            y.withUnsafeMutableBufferPointer { VectorOps.reluInPlace($0.baseAddress!, count: $0.count) }
            activations.append(y)
        }
        var grad = [Float](repeating: 1, count: gs[2].outputCount)
        var weightGrads = [[Float]](repeating: [], count: 3)
        var biasGrads = [[Float]](repeating: [], count: 3)
        for l in stride(from: 2, through: 0, by: -1) {
            grad.withUnsafeMutableBufferPointer { g in
                activations[l + 1].withUnsafeBufferPointer { y in
                    VectorOps.reluBackward(g.baseAddress!, output: y.baseAddress!, count: g.count)
                }
            }
            (weightGrads[l], biasGrads[l]) = runners[l].backwardWeight(activations[l], grad)
            grad = runners[l].backwardData(grad, weights[l])
        }
        let inputGrad = grad

        // Central differences in Double.
        let xd = x.map(Double.init)
        let wd = weights.map { $0.map(Double.init) }
        let bd = biases.map { $0.map(Double.init) }
        let h = 1e-4
        var checked = 0
        func compare(_ analytic: Float, _ plus: Double, _ minus: Double, _ what: String) {
            let numeric = (plus - minus) / (2 * h)
            let error = abs(Double(analytic) - numeric) / max(abs(Double(analytic)), abs(numeric), 1)
            XCTAssertLessThan(error, 1e-3, "\(kernels.strategy) \(what): analytic \(analytic), numeric \(numeric)")
            checked += 1
        }
        for i in Swift.stride(from: 0, to: xd.count, by: 3) {
            var p = xd, m = xd
            p[i] += h
            m[i] -= h
            compare(inputGrad[i], energy(p, wd, bd, gs), energy(m, wd, bd, gs), "d/dx[\(i)]")
        }
        for l in 0..<3 {
            for i in Swift.stride(from: 0, to: wd[l].count, by: 5) {
                var p = wd, m = wd
                p[l][i] += h
                m[l][i] -= h
                compare(weightGrads[l][i], energy(xd, p, bd, gs), energy(xd, m, bd, gs), "d/dW\(l + 1)[\(i)]")
            }
            for i in 0..<bd[l].count {
                var p = bd, m = bd
                p[l][i] += h
                m[l][i] -= h
                compare(biasGrads[l][i], energy(xd, wd, p, gs), energy(xd, wd, m, gs), "d/db\(l + 1)[\(i)]")
            }
        }
        // The gradients must not be trivially zero.
        XCTAssertGreaterThan(inputGrad.map { abs($0) }.max() ?? 0, 0.01)
        XCTAssertGreaterThan(checked, 100)
    }
}
