import STGKernels
import STGTensor

/// Langevin dynamics on p(I; w) ∝ exp(f(I; w)) q(I), q = N(0, σ²):
///
///     I ← I − (δ²/2) (I/σ² − ∂f/∂I) + δ · N(0, 1)
///
/// applied to a batch of videos in place, optionally only where a mask is 1 (the other values are
/// clamped: recovery of occluded pixels). Noise comes from `GaussianNoise` streams derived from
/// the seed and a caller-chosen stream number per step, so runs are reproducible bit for bit.
package final class LangevinSampler {
    package let evaluator: EnergyEvaluator
    private let videoCount: Int
    private let gradient: UnsafeMutableBufferPointer<Float>
    private var seeds: [Float]

    package init(net: DescriptorNet, capacity: Int, kernels: any Conv3dKernels = defaultKernels) {
        evaluator = EnergyEvaluator(net: net, capacity: capacity, kernels: kernels)
        videoCount = net.inputShape.count
        gradient = LargeBuffer.allocate(capacity * videoCount)
        seeds = [Float](repeating: 1, count: capacity)
    }

    deinit {
        gradient.deallocate()
    }

    /// Runs `steps` Langevin steps on `videos` videos at `x` ((videos, C, T, H, W), mean-subtracted).
    ///
    /// - `mask`: nil, or 1 where a value may move and 0 where it is clamped (same layout as x).
    /// - `stream(step)`: the noise stream of each step.
    /// - Returns the energies f(I) of the videos as they were before the last step.
    @discardableResult
    package func run(
        _ x: UnsafeMutablePointer<Float>, videos: Int, parameters: UnsafePointer<Float>,
        steps: Int, stepSize: Float, sigma: Float, seed: UInt64, stream: (Int) -> UInt64,
        mask: UnsafePointer<Float>? = nil
    ) -> [Float] {
        let count = videos * videoCount
        // The weights are fixed for the whole run: derive their packed forms once.
        evaluator.withPreparedWeights(parameters) {
            for step in 0..<steps {
                evaluator.forward(input: x, videos: videos, parameters: parameters)
                evaluator.backward(
                    input: x, videos: videos, parameters: parameters, seeds: seeds,
                    gradInput: gradient.baseAddress!, gradParameters: nil)
                LangevinUpdate.step(
                    x, gradient: gradient.baseAddress!, mask: mask, count: count, stepSize: stepSize, sigma: sigma,
                    seed: seed, stream: stream(step))
            }
        }
        return Array(evaluator.energies[0..<videos])
    }
}

/// The convolution kernels the model uses unless told otherwise.
package let defaultKernels: any Conv3dKernels = defaultConv3dKernels
