import STGConvNet
import STGKernels
import STGTensor
import XCTest

final class LangevinTests: XCTestCase {
    /// With zero weights and biases f ≡ 0, so one step is x ← x − (δ²/2)·x/σ² + δ·noise exactly.
    func testOneStepWithZeroEnergyIsTheGaussianUpdate() throws {
        let shape = VideoShape(channels: 1, frames: 4, height: 6, width: 5)
        var net = try DescriptorNet(spec: tinySpec, inputShape: shape, initialStd: 0, seed: 1)
        net.parameters = [Float](repeating: 0, count: net.parameters.count)
        let sampler = LangevinSampler(net: net, capacity: 1, kernels: ReferenceConv3d())
        let start = (0..<shape.count).map { Float($0 % 7) - 3 }
        var x = start
        let delta: Float = 0.3, sigma: Float = 2
        x.withUnsafeMutableBufferPointer { xp in
            net.parameters.withUnsafeBufferPointer { wp in
                _ = sampler.run(
                    xp.baseAddress!, videos: 1, parameters: wp.baseAddress!, steps: 1, stepSize: delta, sigma: sigma,
                    seed: 9, stream: { _ in 42 })
            }
        }
        var noise = [Float](repeating: 0, count: shape.count)
        noise.withUnsafeMutableBufferPointer { GaussianNoise.fill($0, seed: 9, stream: 42) }
        for i in 0..<shape.count {
            let expected = start[i] - 0.5 * delta * delta * start[i] / (sigma * sigma) + delta * noise[i]
            XCTAssertEqual(x[i], expected, accuracy: 1e-6)
        }
    }

    /// Clamped values stay bit-identical; free values move.
    func testMaskClampsVisibleValues() throws {
        let shape = VideoShape(channels: 2, frames: 4, height: 6, width: 5)
        let net = try DescriptorNet(spec: tinySpec, inputShape: shape, initialStd: 0.1, seed: 1)
        let sampler = LangevinSampler(net: net, capacity: 1, kernels: ReferenceConv3d())
        let start = GaussianNoise.array(count: shape.count, seed: 4, scale: 10)
        let mask = (0..<shape.count).map { Float($0 % 3 == 0 ? 1 : 0) }
        var x = start
        x.withUnsafeMutableBufferPointer { xp in
            net.parameters.withUnsafeBufferPointer { wp in
                mask.withUnsafeBufferPointer { mp in
                    _ = sampler.run(
                        xp.baseAddress!, videos: 1, parameters: wp.baseAddress!, steps: 3, stepSize: 0.3, sigma: 1,
                        seed: 1, stream: { UInt64($0) }, mask: mp.baseAddress!)
                }
            }
        }
        for i in 0..<shape.count {
            if mask[i] == 0 {
                XCTAssertEqual(x[i].bitPattern, start[i].bitPattern, "visible value \(i) moved")
            } else {
                XCTAssertNotEqual(x[i], start[i], "free value \(i) did not move")
            }
        }
    }
}

final class CyclicShiftTests: XCTestCase {
    func testShiftMovesEveryValueCyclically() {
        let shape = TensorShape(videos: 1, channels: 2, frames: 3, height: 2, width: 4)
        let source = (0..<shape.count).map(Float.init)
        var target = [Float](repeating: -1, count: shape.count)
        source.withUnsafeBufferPointer { s in
            target.withUnsafeMutableBufferPointer { t in
                CyclicShift.apply(s.baseAddress!, shape: shape, by: (t: 1, y: 1, x: 3), into: t.baseAddress!)
            }
        }
        for c in 0..<2 { for t in 0..<3 { for y in 0..<2 { for x in 0..<4 {
            let moved = shape.index(0, c, (t + 1) % 3, (y + 1) % 2, (x + 3) % 4)
            XCTAssertEqual(target[moved], source[shape.index(0, c, t, y, x)])
        } } } }
    }
}
