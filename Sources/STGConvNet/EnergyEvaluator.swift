import STGKernels
import STGTensor

/// Evaluates the energy f(I) = Σ top-layer responses of a batch of videos, and its gradients
/// with respect to the videos and to the parameters.
///
/// Owns every buffer it needs, planned once for a network and a largest batch, so that the
/// Langevin loop allocates nothing; they are `LargeBuffer`s (huge pages where Linux allows).
/// Not thread-safe: one evaluator per concurrent user.
package final class EnergyEvaluator {
    package let layers: [Conv3dGeometry]
    package let weightOffsets: [Int]
    package let biasOffsets: [Int]
    package let capacity: Int
    package let kernels: any Conv3dKernels

    /// Post-ReLU output of each layer, capacity videos: (videos, outputChannels, t, h, w).
    private var activations: [UnsafeMutableBufferPointer<Float>]
    /// Gradient of the energy with respect to each layer's output (same layout as activations).
    private var outputGradients: [UnsafeMutableBufferPointer<Float>]
    private let workspace: UnsafeMutableBufferPointer<Float>
    /// Each layer's prepared weights (`Conv3dKernels.prepare`), valid for `preparedParameters`.
    private let preparedWeights: [UnsafeMutableBufferPointer<Float>]
    /// Each layer's `Conv3dKernels.preparedCount` (0: its ops derive nothing from the weight).
    private let preparedCounts: [Int]
    /// The parameters the prepared weights were derived from, inside `withPreparedWeights`.
    private var preparedParameters: UnsafePointer<Float>?
    /// Energy of each video of the last forward pass.
    package private(set) var energies: [Float]

    package init(net: DescriptorNet, capacity: Int, kernels: any Conv3dKernels = defaultKernels) {
        precondition(capacity > 0, "an evaluator needs room for at least one video")
        self.layers = net.layers
        self.weightOffsets = net.weightRanges.map(\.lowerBound)
        self.biasOffsets = net.biasRanges.map(\.lowerBound)
        self.capacity = capacity
        self.kernels = kernels
        activations = layers.map { LargeBuffer.allocate($0.outputCount * capacity) }
        outputGradients = layers.map { LargeBuffer.allocate($0.outputCount * capacity) }
        let scratch = layers.map { kernels.workspaceCount(geometry: $0, videos: capacity) }.max() ?? 0
        workspace = LargeBuffer.allocate(scratch)
        preparedCounts = layers.map { kernels.preparedCount(geometry: $0) }
        preparedWeights = preparedCounts.map { LargeBuffer.allocate($0) }
        energies = [Float](repeating: 0, count: capacity)
    }

    deinit {
        activations.forEach { $0.deallocate() }
        outputGradients.forEach { $0.deallocate() }
        workspace.deallocate()
        preparedWeights.forEach { $0.deallocate() }
    }

    /// Runs `body` with every layer's weight-derived data (packed panels, offset tables) written
    /// once from `parameters`; the forward and backward passes inside `body` that get these same
    /// parameters use it instead of deriving it again per call. `parameters` must not change
    /// inside `body` (the Langevin loop: 2 ops × steps per layer with one set of weights).
    package func withPreparedWeights<R>(_ parameters: UnsafePointer<Float>, _ body: () throws -> R) rethrows -> R {
        for (l, g) in layers.enumerated() where preparedCounts[l] > 0 {
            kernels.prepare(weight: parameters + weightOffsets[l], geometry: g, into: preparedWeights[l].baseAddress!)
        }
        preparedParameters = parameters
        defer { preparedParameters = nil }
        return try body()
    }

    /// Layer l's prepared weights when they were derived from `parameters`, else nil.
    private func prepared(_ l: Int, for parameters: UnsafePointer<Float>) -> UnsafePointer<Float>? {
        preparedParameters == parameters && preparedCounts[l] > 0
            ? UnsafePointer(preparedWeights[l].baseAddress!) : nil
    }

    /// Runs the network on `videos` videos at `input` ((videos, channels, frames, h, w)) and
    /// stores each video's energy in `energies[0..<videos]`.
    package func forward(input: UnsafePointer<Float>, videos: Int, parameters: UnsafePointer<Float>) {
        precondition(videos > 0 && videos <= capacity, "batch of \(videos) exceeds the planned \(capacity)")
        var x = input
        for (l, g) in layers.enumerated() {
            let y = activations[l].baseAddress!
            kernels.forward(
                input: x, weight: parameters + weightOffsets[l], bias: parameters + biasOffsets[l],
                videos: videos, geometry: g, prepared: prepared(l, for: parameters),
                workspace: workspace.baseAddress!, into: y)
            VectorOps.reluInPlace(y, count: videos * g.outputCount)
            x = UnsafePointer(y)
        }
        let top = activations[layers.count - 1].baseAddress!
        let perVideo = layers[layers.count - 1].outputCount
        for n in 0..<videos {
            energies[n] = Float(VectorOps.sum(top + n * perVideo, count: perVideo))
        }
    }

    /// Back-propagates from the last `forward`: the energy of video n weighted by `seeds[n]`.
    ///
    /// - `gradInput`: when given, **overwritten** with Σ_n seeds[n] ∂f(I_n)/∂I_n, layout of the input.
    /// - `gradParameters`: when given, Σ_n seeds[n] ∂f(I_n)/∂w is **added** to it (flat layout of
    ///   `DescriptorNet.parameters`).
    /// `input` and `videos` must be those of the last `forward`.
    package func backward(
        input: UnsafePointer<Float>, videos: Int, parameters: UnsafePointer<Float>, seeds: [Float],
        gradInput: UnsafeMutablePointer<Float>?, gradParameters: UnsafeMutablePointer<Float>?
    ) {
        precondition(seeds.count >= videos, "need one seed per video")
        let topIndex = layers.count - 1
        // Gradient of Σ_n seed_n · Σ top outputs with respect to the top outputs.
        let topCount = layers[topIndex].outputCount
        for n in 0..<videos {
            VectorOps.fill(outputGradients[topIndex].baseAddress! + n * topCount, count: topCount, value: seeds[n])
        }
        for l in stride(from: topIndex, through: 0, by: -1) {
            let g = layers[l]
            let gradOut = outputGradients[l].baseAddress!
            // Through the ReLU: the pre-activation gradient is zero where the output is zero.
            VectorOps.reluBackward(gradOut, output: activations[l].baseAddress!, count: videos * g.outputCount)
            let layerInput = l == 0 ? input : UnsafePointer(activations[l - 1].baseAddress!)
            if let gradParameters {
                kernels.backwardWeight(
                    input: layerInput, gradOutput: gradOut, videos: videos, geometry: g,
                    workspace: workspace.baseAddress!, addingInto: gradParameters + weightOffsets[l],
                    gradBias: gradParameters + biasOffsets[l])
            }
            if l > 0 {
                kernels.backwardData(
                    gradOutput: gradOut, weight: parameters + weightOffsets[l], videos: videos, geometry: g,
                    prepared: prepared(l, for: parameters), workspace: workspace.baseAddress!,
                    into: outputGradients[l - 1].baseAddress!)
            } else if let gradInput {
                kernels.backwardData(
                    gradOutput: gradOut, weight: parameters + weightOffsets[l], videos: videos, geometry: g,
                    prepared: prepared(l, for: parameters), workspace: workspace.baseAddress!, into: gradInput)
            }
        }
    }
}
