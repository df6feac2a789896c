import STGConvNet
import STGTensor
import XCTest

final class AdamTests: XCTestCase {
    /// The first step from zero moments moves each weight by the learning rate against the sign
    /// of its gradient (bias correction cancels (1 − β1) and √(1 − β2)); a zero gradient moves nothing.
    func testFirstStepByHand() {
        var adam = Adam(parameterCount: 3, learningRate: 0.01, beta1: 0.5, beta2: 0.999)
        var w: [Float] = [1, 2, -3]
        adam.update(&w, gradient: [0.5, -2, 0])
        XCTAssertEqual(w[0], 0.99, accuracy: 1e-6)
        XCTAssertEqual(w[1], 2.01, accuracy: 1e-6)
        XCTAssertEqual(w[2], -3)
        XCTAssertEqual(adam.firstMoment, [0.25, -1, 0])
        XCTAssertEqual(adam.secondMoment[1], 0.004, accuracy: 1e-7)
    }

    /// A second step against the formula in double precision, on a buffer long enough to be split
    /// across threads (the result must not depend on the split).
    func testSecondStepMatchesTheFormulaOnEveryThreadCount() {
        let count = 100_003
        let g1 = (0..<count).map { Float(sin(Double($0))) }
        let g2 = (0..<count).map { Float(cos(0.5 * Double($0))) }
        var results: [[Float]] = []
        for threads in [1, 2] {
            let saved = Parallel.threads
            Parallel.threads = threads
            defer { Parallel.threads = saved }
            var adam = Adam(parameterCount: count, learningRate: 0.001, beta1: 0.5, beta2: 0.999)
            var w = [Float](repeating: 0.25, count: count)
            adam.update(&w, gradient: g1)
            adam.update(&w, gradient: g2)
            results.append(w)
        }
        XCTAssertEqual(results[0].map(\.bitPattern), results[1].map(\.bitPattern))
        for i in stride(from: 0, to: count, by: 997) {
            let (a, b) = (Double(g1[i]), Double(g2[i]))
            let m1 = 0.5 * a, v1 = 0.001 * a * a
            let m2 = 0.5 * m1 + 0.5 * b, v2 = 0.999 * v1 + 0.001 * b * b
            let first = 0.001 * (m1 / 0.5) / ((v1 / 0.001).squareRoot() + 1e-8)
            let second = 0.001 * (m2 / 0.75) / ((v2 / (1 - 0.999 * 0.999)).squareRoot() + 1e-8)
            XCTAssertEqual(Double(results[0][i]), 0.25 - first - second, accuracy: 2e-6, "element \(i)")
        }
    }
}
