/// Elementwise kernels on raw buffers, used by the model's inner loops.
///
/// Placeholder scalar versions; the kernels engineer replaces them with vectorised, parallel ones
/// behind the same signatures.
package enum VectorOps {
    /// x = max(x, 0), in place.
    package static func reluInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = max(x[i], 0) }
    }

    /// g = g where y > 0, else 0 (the ReLU backward given the ReLU's output y), in place.
    package static func reluBackward(_ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count: Int) {
        for i in 0..<count where y[i] <= 0 { g[i] = 0 }
    }

    /// x[i] = value.
    package static func fill(_ x: UnsafeMutablePointer<Float>, count: Int, value: Float) {
        x.update(repeating: value, count: count)
    }

    /// Σ x, accumulated in Double.
    package static func sum(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var total = 0.0
        for i in 0..<count { total += Double(x[i]) }
        return total
    }

    /// Σ x², accumulated in Double.
    package static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var total = 0.0
        for i in 0..<count { total += Double(x[i]) * Double(x[i]) }
        return total
    }

    /// One Langevin step, in place: x ← x − (δ²/2)(x/σ² − g) + δ·noise, only where mask = 1 when a
    /// mask is given (elsewhere x is left exactly as it is).
    package static func langevinStep(
        _ x: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, noise: UnsafePointer<Float>,
        mask: UnsafePointer<Float>?, count: Int, stepSize delta: Float, sigma: Float
    ) {
        let half = 0.5 * delta * delta
        let inverseVariance = 1 / (sigma * sigma)
        if let mask {
            for i in 0..<count where mask[i] != 0 {
                x[i] = x[i] - half * (x[i] * inverseVariance - g[i]) + delta * noise[i]
            }
        } else {
            for i in 0..<count {
                x[i] = x[i] - half * (x[i] * inverseVariance - g[i]) + delta * noise[i]
            }
        }
    }
}
