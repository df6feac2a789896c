/// The largest difference between two float arrays and the first few mismatches, for messages.
public struct ArrayComparison: CustomStringConvertible {
    public let maxError: Double
    public let mismatches: [(index: Int, expected: Float, actual: Float)]

    /// Compares with a relative tolerance: |a − b| ≤ tolerance × max(|a|, |b|, scale).
    public init(expected: [Float], actual: [Float], tolerance: Double, scale: Double = 1) {
        precondition(expected.count == actual.count, "arrays differ in length: \(expected.count) vs \(actual.count)")
        var worst = 0.0
        var found: [(Int, Float, Float)] = []
        for i in expected.indices {
            let a = Double(expected[i])
            let b = Double(actual[i])
            let error = abs(a - b) / max(abs(a), abs(b), scale)
            if error.isNaN || error > tolerance {
                if found.count < 5 { found.append((i, expected[i], actual[i])) }
            }
            if error > worst || error.isNaN { worst = error.isNaN ? .infinity : error }
        }
        maxError = worst
        mismatches = found.map { (index: $0.0, expected: $0.1, actual: $0.2) }
    }

    public var passed: Bool { mismatches.isEmpty }

    public var description: String {
        "max relative error \(maxError); first mismatches: "
            + mismatches.map { "[\($0.index)] expected \($0.expected) got \($0.actual)" }.joined(separator: ", ")
    }
}
