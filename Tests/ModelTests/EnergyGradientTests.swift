import STGConvNet
import STGKernels
import STGTensor
import TestSupport
import XCTest

/// Gradients of the energy f(I) = Σ top responses, checked with central finite differences.
final class EnergyGradientTests: XCTestCase {
    private let shape = VideoShape(channels: 2, frames: 4, height: 6, width: 5)

    private func makeNet() throws -> DescriptorNet {
        // Large weights and positive biases so that most ReLUs are active and the gradient is rich.
        var net = try DescriptorNet(spec: tinySpec, inputShape: shape, initialStd: 0.3, seed: 7)
        for range in net.biasRanges { for i in range { net.parameters[i] = 0.2 } }
        return net
    }

    private func energy(_ evaluator: EnergyEvaluator, _ x: [Float], _ w: [Float]) -> Double {
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                evaluator.forward(input: xp.baseAddress!, videos: 1, parameters: wp.baseAddress!)
            }
        }
        return Double(evaluator.energies[0])
    }

    /// Energies and input gradients inside `withPreparedWeights` (weights packed once) are
    /// bit-identical to those outside it; other parameters inside the scope are not confused with
    /// the prepared ones.
    func testPreparedWeightsMatchPerCallPacking() throws {
        for kernels in [defaultKernelsForTests, GEMMConv3d(strategy: .indirect), GEMMConv3d(strategy: .channelsLast)] {
            let net = try makeNet()
            var other = net.parameters
            for i in other.indices { other[i] *= 0.5 }
            let evaluator = EnergyEvaluator(net: net, capacity: 2, kernels: kernels)
            let x = GaussianNoise.array(count: 2 * shape.count, seed: 5)
            func run(_ w: [Float]) -> (energies: [Float], gradient: [Float]) {
                var gradInput = [Float](repeating: 0, count: x.count)
                x.withUnsafeBufferPointer { xp in
                    w.withUnsafeBufferPointer { wp in
                        gradInput.withUnsafeMutableBufferPointer { gi in
                            evaluator.forward(input: xp.baseAddress!, videos: 2, parameters: wp.baseAddress!)
                            evaluator.backward(
                                input: xp.baseAddress!, videos: 2, parameters: wp.baseAddress!, seeds: [1, 0.5],
                                gradInput: gi.baseAddress!, gradParameters: nil)
                        }
                    }
                }
                return (Array(evaluator.energies[0..<2]), gradInput)
            }
            let plain = run(net.parameters)
            let plainOther = run(other)
            let (inside, insideOther) = net.parameters.withUnsafeBufferPointer { wp in
                evaluator.withPreparedWeights(wp.baseAddress!) { (run(net.parameters), run(other)) }
            }
            XCTAssertEqual(inside.energies.map(\.bitPattern), plain.energies.map(\.bitPattern), "\(kernels.name) energies")
            XCTAssertEqual(inside.gradient.map(\.bitPattern), plain.gradient.map(\.bitPattern), "\(kernels.name) ∂f/∂I")
            XCTAssertEqual(insideOther.gradient.map(\.bitPattern), plainOther.gradient.map(\.bitPattern), "\(kernels.name) other weights")
            XCTAssertNotEqual(plain.gradient, plainOther.gradient, "the two weight sets must differ")
        }
    }

    func testInputAndParameterGradientsMatchFiniteDifferences() throws {
        for kernels in [ReferenceConv3d() as any Conv3dKernels, defaultKernelsForTests] {
            let net = try makeNet()
            let evaluator = EnergyEvaluator(net: net, capacity: 1, kernels: kernels)
            let x = GaussianNoise.array(count: shape.count, seed: 3)
            var gradInput = [Float](repeating: 0, count: shape.count)
            var gradParameters = [Float](repeating: 0, count: net.parameters.count)
            _ = energy(evaluator, x, net.parameters)
            x.withUnsafeBufferPointer { xp in
                net.parameters.withUnsafeBufferPointer { wp in
                    gradInput.withUnsafeMutableBufferPointer { gi in
                        gradParameters.withUnsafeMutableBufferPointer { gp in
                            evaluator.backward(
                                input: xp.baseAddress!, videos: 1, parameters: wp.baseAddress!, seeds: [1],
                                gradInput: gi.baseAddress!, gradParameters: gp.baseAddress!)
                        }
                    }
                }
            }
            // Central differences; a point where the two one-sided differences disagree straddles a
            // ReLU kink (f is only piecewise linear there) and is skipped, and counted.
            let h: Float = 1e-2
            var checked = 0, skipped = 0
            func check(_ name: String, analytic: Float, _ f: (Float) -> Double) {
                let center = f(0), plus = f(h), minus = f(-h)
                let forward = (plus - center) / Double(h), backward = (center - minus) / Double(h)
                if abs(forward - backward) > 1e-3 * max(abs(forward), abs(backward), 1) {
                    skipped += 1
                    return
                }
                checked += 1
                let numeric = (plus - minus) / Double(2 * h)
                let error = abs(numeric - Double(analytic)) / max(abs(numeric), abs(Double(analytic)), 1)
                XCTAssertLessThan(error, 1e-3, "\(kernels.name): \(name) analytic \(analytic) numeric \(numeric)")
            }
            for i in stride(from: 0, to: x.count, by: 3) {
                check("∂f/∂I[\(i)]", analytic: gradInput[i]) { d in
                    var moved = x
                    moved[i] += d
                    return energy(evaluator, moved, net.parameters)
                }
            }
            let biases = Set(net.biasRanges.flatMap { Array($0) })
            for i in net.parameters.indices where i % 3 == 0 || biases.contains(i) {
                check("∂f/∂w[\(i)]", analytic: gradParameters[i]) { d in
                    var moved = net.parameters
                    moved[i] += d
                    return energy(evaluator, x, moved)
                }
            }
            XCTAssertLessThan(skipped, checked / 5, "too many points at ReLU kinks: \(skipped) of \(checked + skipped)")
            XCTAssertGreaterThan(gradInput.map { abs($0) }.max()!, 0, "the gradient must not vanish")
        }
    }

    /// Seeds weight videos: the batched gradient equals the weighted sum of single-video gradients.
    func testSeedsWeightTheVideosOfABatch() throws {
        let net = try makeNet()
        let evaluator = EnergyEvaluator(net: net, capacity: 2, kernels: ReferenceConv3d())
        let x = GaussianNoise.array(count: 2 * shape.count, seed: 5)
        func gradient(_ input: [Float], videos: Int, seeds: [Float]) -> [Float] {
            var g = [Float](repeating: 0, count: net.parameters.count)
            input.withUnsafeBufferPointer { xp in
                net.parameters.withUnsafeBufferPointer { wp in
                    g.withUnsafeMutableBufferPointer { gp in
                        evaluator.forward(input: xp.baseAddress!, videos: videos, parameters: wp.baseAddress!)
                        evaluator.backward(
                            input: xp.baseAddress!, videos: videos, parameters: wp.baseAddress!, seeds: seeds,
                            gradInput: nil, gradParameters: gp.baseAddress!)
                    }
                }
            }
            return g
        }
        let both = gradient(x, videos: 2, seeds: [0.5, -2])
        let first = gradient(Array(x[0..<shape.count]), videos: 1, seeds: [1])
        let second = gradient(Array(x[shape.count...]), videos: 1, seeds: [1])
        let expected = zip(first, second).map { 0.5 * $0 - 2 * $1 }
        let comparison = ArrayComparison(expected: expected, actual: both, tolerance: 1e-4)
        XCTAssertTrue(comparison.passed, comparison.description)
    }
}
