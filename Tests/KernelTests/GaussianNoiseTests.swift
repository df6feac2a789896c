import Foundation
import STGTensor
import XCTest

/// The vectorised Box–Muller noise: accurate transform, right distribution, reproducible.
final class GaussianNoiseTests: XCTestCase {
    /// The SIMD transform against Double log, sin and cos on a grid of uniforms.
    func testBoxMullerMatchesDoubleMath() {
        var worst = 0.0
        for block in 0..<2048 {
            var u1 = SIMD16<Float>()
            var u2 = SIMD16<Float>()
            for lane in 0..<16 {
                let k = block * 16 + lane
                u1[lane] = (Float(k) + 0.5) / 32768  // (0, 1)
                u2[lane] = Float((k * 7919) % 32768) / 32768 + 1.0 / 65536  // scattered over (0, 1)
            }
            let (c, s) = GaussianNoise.boxMuller(u1, u2, scale: 1)
            for lane in 0..<16 {
                let r = (-2 * Foundation.log(Double(u1[lane]))).squareRoot()
                let angle = 2 * Double.pi * Double(u2[lane])
                // Error relative to r (cos and sin are bounded by 1).
                worst = max(worst, abs(Double(c[lane]) - r * cos(angle)) / max(r, 1e-3))
                worst = max(worst, abs(Double(s[lane]) - r * sin(angle)) / max(r, 1e-3))
            }
        }
        XCTAssertLessThan(worst, 2e-6, "largest error of the vector Box–Muller relative to r")
    }

    func testDistributionMomentsAndReproducibility() {
        let count = 3 * GaussianNoise.blockSize + 77  // several blocks and a tail shorter than 32
        let one = withThreads(1) { GaussianNoise.array(count: count, seed: 42, scale: 2) }
        let two = withThreads(2) { GaussianNoise.array(count: count, seed: 42, scale: 2) }
        XCTAssertEqual(one.map(\.bitPattern), two.map(\.bitPattern), "noise depends on the thread count")
        XCTAssertEqual(one, GaussianNoise.array(count: count, seed: 42, scale: 2), "same seed, different values")
        XCTAssertNotEqual(one, GaussianNoise.array(count: count, seed: 43, scale: 2), "different seeds, same values")

        let n = Double(count)
        let mean = one.reduce(0.0) { $0 + Double($1) } / n
        let variance = one.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        let fourth = one.reduce(0.0) { $0 + pow((Double($1) - mean) / 2, 4) } / n
        // Standard errors: mean 2/√n ≈ 0.0064, variance 4·√(2/n) ≈ 0.018, kurtosis √(96/n) ≈ 0.05.
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 4, accuracy: 0.09)
        XCTAssertEqual(fourth, 3, accuracy: 0.25)
        XCTAssertTrue(one.allSatisfy { $0.isFinite })
        // A prefix is stable: filling fewer values gives the same leading values.
        XCTAssertEqual(Array(one.prefix(1000)), GaussianNoise.array(count: 1000, seed: 42, scale: 2))
    }

    func testStreamsDiffer() {
        var a = [Float](repeating: 0, count: 64)
        var b = [Float](repeating: 0, count: 64)
        a.withUnsafeMutableBufferPointer { GaussianNoise.fill($0, seed: 7, stream: 1) }
        b.withUnsafeMutableBufferPointer { GaussianNoise.fill($0, seed: 7, stream: 2) }
        XCTAssertNotEqual(a, b)
    }
}
