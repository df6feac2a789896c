import STGKernels
import STGMedia
import STGTensor

/// Where new chains start when sampling from a saved model.
public enum SampleStart: String, Codable, Sendable, CaseIterable {
    /// Zeros: the training mean.
    case zero
    /// A sample of q = N(0, σ²) around the training mean.
    case noise
    /// The chains saved with the model (only when the size matches), continued.
    case chains
}

/// Options for synthesizing new videos from a trained model.
public struct SamplingOptions: Sendable, Equatable {
    public var chains = 3
    public var steps = 400
    public var stepSize: Float = 0.3
    public var sigma: Float = 1
    public var seed: UInt64 = 1
    public var start: SampleStart = .zero
    public init() {}
}

/// New videos from a trained model by Langevin dynamics.
public enum Synthesis {
    /// Samples `options.chains` videos of `shape` (nil: the training size) from the model in `state`.
    ///
    /// A fully convolutional model (for example the `st` preset) takes any size its layers fit;
    /// a model with a frame-spanning layer refuses other frame sizes but takes other lengths when
    /// its time axis is convolutional. `progress(step)` is called after every step.
    public static func sample(
        from state: TrainingState, shape: VideoShape? = nil, options: SamplingOptions,
        progress: (Int) -> Void = { _ in }
    ) throws -> [Video] {
        guard options.chains >= 1 else { throw ModelError("--chains must be ≥ 1, got \(options.chains)") }
        guard options.steps >= 0 else { throw ModelError("--steps must be ≥ 0, got \(options.steps)") }
        let shape = shape ?? state.net.inputShape
        let net = try state.net.resized(to: shape)
        let tensorShape = TensorShape(
            videos: options.chains, channels: shape.channels, frames: shape.frames, height: shape.height,
            width: shape.width)
        var chains = Tensor(zeros: tensorShape)
        switch options.start {
        case .zero:
            break
        case .noise:
            chains.withUnsafeMutableBufferPointer {
                GaussianNoise.fill($0, seed: options.seed, stream: 0x5A3B_1E00, scale: options.sigma)
            }
        case .chains:
            guard shape == state.net.inputShape else {
                throw ModelError(
                    "--start chains continues the saved chains, which are \(state.net.inputShape); "
                        + "use --start zero or noise for \(shape)")
            }
            let saved = state.chains.shape.videos
            for n in 0..<options.chains { chains.setVideo(n, to: state.chains.video(n % saved)) }
        }
        let sampler = LangevinSampler(net: net, capacity: options.chains)
        let seed = options.seed
        net.parameters.withUnsafeBufferPointer { w in
            chains.withUnsafeMutableBufferPointer { x in
                // One step at a time so that progress can be reported; streams stay distinct per step.
                for step in 0..<options.steps {
                    sampler.run(
                        x.baseAddress!, videos: options.chains, parameters: w.baseAddress!, steps: 1,
                        stepSize: options.stepSize, sigma: options.sigma, seed: seed,
                        stream: { _ in (0xFFFF << 40) | UInt64(step) })
                    progress(step + 1)
                }
            }
        }
        return chains.videos(adding: state.mean)
    }
}
