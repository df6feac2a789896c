import STGTensor

/// The bias gradient the fast weight gradients share: gradBias[c] += Σ gradOutput[c, ·] of one
/// video (outputChannels, output volume), one Float add per video and filter.
enum BiasGradient {
    static func add(gradOutput: UnsafePointer<Float>, geometry g: Conv3dGeometry, into gradBias: UnsafeMutablePointer<Float>) {
        let L = g.output.volume
        for c in 0..<g.outputChannels { gradBias[c] += Float(VectorOps.sum(gradOutput + c * L, count: L)) }
    }
}
