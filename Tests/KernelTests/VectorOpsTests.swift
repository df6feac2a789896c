import STGTensor
import XCTest

/// VectorOps against plain scalar loops, on lengths that leave vector tails and on buffers large
/// enough to run in parallel.
final class VectorOpsTests: XCTestCase {
    /// Small (tail only), odd, and parallel-sized lengths.
    private let lengths = [0, 5, 16, 37, 1000, VectorOps.parallelThreshold + 13]

    func testReluForwardAndBackward() {
        for count in lengths {
            var x = randomValues(count, seed: 1)
            if count > 3 { x[3] = -0.0 }
            let expected = x.map { $0 < 0 ? 0 : $0 }
            x.withUnsafeMutableBufferPointer { VectorOps.reluInPlace($0.baseAddress!, count: count) }
            XCTAssertEqual(x, expected, "relu, count \(count)")

            var g = randomValues(count, seed: 2)
            let expectedGrad = zip(g, x).map { $1 > 0 ? $0 : 0 }
            g.withUnsafeMutableBufferPointer { gp in
                x.withUnsafeBufferPointer { VectorOps.reluBackward(gp.baseAddress!, output: $0.baseAddress!, count: count) }
            }
            XCTAssertEqual(g, expectedGrad, "relu backward, count \(count)")
        }
    }

    func testAxpyAndFill() {
        for count in lengths {
            let x = randomValues(count, seed: 3)
            var y = randomValues(count, seed: 4)
            let expected = zip(x, y).map { 0.75 * $0 + $1 }
            y.withUnsafeMutableBufferPointer { VectorOps.axpy(0.75, x, $0.baseAddress!, count: count) }
            assertClose(y, expected, tolerance: 1e-6, "axpy, count \(count)")
            y.withUnsafeMutableBufferPointer { VectorOps.fill($0.baseAddress!, count: count, value: 2.5) }
            XCTAssertTrue(y.allSatisfy { $0 == 2.5 }, "fill, count \(count)")
        }
    }

    func testClampKeepsInRangeValuesBitIdentical() {
        for count in lengths {
            let x = randomValues(count, seed: 6)
            var y = x
            y.withUnsafeMutableBufferPointer { VectorOps.clamp($0.baseAddress!, count: count, lower: -0.25, upper: 0.5) }
            for (before, after) in zip(x, y) {
                let expected = before < -0.25 ? -0.25 : (before > 0.5 ? 0.5 : before)
                XCTAssertEqual(after.bitPattern, expected.bitPattern, "clamp \(before), count \(count)")
            }
        }
    }

    func testSumsMatchScalarAndDoNotDependOnThreads() {
        for count in lengths {
            let x = randomValues(count, seed: 5)
            let sum = x.reduce(0.0) { $0 + Double($1) }
            let squares = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            let one = withThreads(1) { (VectorOps.sum(x, count: count), VectorOps.sumOfSquares(x, count: count)) }
            let two = withThreads(2) { (VectorOps.sum(x, count: count), VectorOps.sumOfSquares(x, count: count)) }
            XCTAssertEqual(one.0, sum, accuracy: 1e-9 * max(1, Double(count)), "sum, count \(count)")
            XCTAssertEqual(one.1, squares, accuracy: 1e-9 * max(1, squares), "sum of squares, count \(count)")
            XCTAssertEqual(one.0, two.0, "sum differs between 1 and 2 threads, count \(count)")
            XCTAssertEqual(one.1, two.1, "sum of squares differs between 1 and 2 threads, count \(count)")
        }
        // Hand-computed: 1 + 2 + … + 100 = 5050, squares 338350.
        let ramp = (1...100).map(Float.init)
        XCTAssertEqual(VectorOps.sum(ramp, count: 100), 5050)
        XCTAssertEqual(VectorOps.sumOfSquares(ramp, count: 100), 338_350)
    }

    /// The fused update against the scalar formula with the noise `GaussianNoise.fill` writes for the
    /// same stream: lengths with vector and 32-value tails, and more than one noise block.
    func testLangevinUpdateMatchesScalarAndRespectsMask() {
        let delta: Float = 0.3
        let sigma: Float = 0.8
        for count in lengths + [2 * GaussianNoise.blockSize + 45] {
            let x0 = randomValues(count, seed: 6)
            let g = randomValues(count, seed: 7)
            var noise = [Float](repeating: 0, count: count)
            noise.withUnsafeMutableBufferPointer { GaussianNoise.fill($0, seed: 11, stream: 12) }
            let mask = randomValues(count, seed: 9).map { $0 > 0 ? Float(1) : 0 }
            let half = 0.5 * Double(delta) * Double(delta)
            func scalar(_ i: Int) -> Float {
                let x = Double(x0[i])
                return Float(x - half * (x / Double(sigma * sigma) - Double(g[i])) + Double(delta) * Double(noise[i]))
            }
            func step(threads: Int, mask m: [Float]?) -> [Float] {
                var x = x0
                withThreads(threads) {
                    x.withUnsafeMutableBufferPointer { xs in
                        g.withUnsafeBufferPointer { gs in
                            let xp = xs.baseAddress!
                            let gp = gs.baseAddress!
                            func run(_ mp: UnsafePointer<Float>?) {
                                LangevinUpdate.step(
                                    xp, gradient: gp, mask: mp, count: count, stepSize: delta, sigma: sigma, seed: 11,
                                    stream: 12)
                            }
                            if let m { m.withUnsafeBufferPointer { run($0.baseAddress!) } } else { run(nil) }
                        }
                    }
                }
                return x
            }
            let x = step(threads: 1, mask: nil)
            assertClose(x, (0..<count).map(scalar), tolerance: 1e-6, "langevin, count \(count)")
            XCTAssertEqual(x.map(\.bitPattern), step(threads: 2, mask: nil).map(\.bitPattern), "1 vs 2 threads, count \(count)")

            let masked = step(threads: 2, mask: mask)
            for i in 0..<count where mask[i] == 0 {
                XCTAssertEqual(masked[i].bitPattern, x0[i].bitPattern, "masked-out value changed at \(i)")
            }
            for i in 0..<count where mask[i] != 0 {
                XCTAssertEqual(masked[i], x[i], "masked-in value differs from unmasked step at \(i)")
            }
        }
    }
}
