import Foundation
import STGKernels
import STGMedia
import STGTensor

/// Learning by analysis by synthesis, optionally from incomplete data.
///
/// Each `step()`:
/// 1. with a mask: Langevin dynamics on the occluded samples of every observed video (visible
///    samples clamped), which recovers them;
/// 2. Langevin dynamics on the M persistent synthesized chains;
/// 3. one Adam step on mean f(synthesized) − mean f(observed), i.e. w moves along
///    mean ∂f/∂w (observed) − mean ∂f/∂w (synthesized).
///
/// Owns planned buffers, so it is a class; `state` is the value to checkpoint.
public final class Trainer {
    public private(set) var state: TrainingState
    private let sampler: LangevinSampler
    private let updateEvaluator: EnergyEvaluator
    private var batch: [Float]
    private var gradient: [Float]
    private var seeds: [Float]

    /// Starts learning from `videos` (all of one size, 0–255). With `masks` (one per video, true =
    /// occluded), occluded samples start at the mean of the visible samples, or at the values the
    /// videos already hold when `keepOccludedValues` is set (an interpolated start).
    public convenience init(
        videos: [Video], masks: [VideoMask]? = nil, keepOccludedValues: Bool = false, spec: NetworkSpec,
        options: TrainingOptions
    ) throws {
        try options.validate()
        guard let first = videos.first else { throw ModelError("no training videos given") }
        if let masks {
            guard masks.count == videos.count else {
                throw ModelError("\(videos.count) videos but \(masks.count) masks: give one mask per video")
            }
            for (video, mask) in zip(videos, masks)
            where (mask.frames, mask.height, mask.width) != (video.frames, video.height, video.width) {
                throw ModelError(
                    "mask of \(mask.frames) frames of \(mask.width)x\(mask.height) does not fit the video of "
                        + "\(video.frames) frames of \(video.width)x\(video.height)")
            }
        }
        // Training mean: one scalar over every visible sample of every video.
        var total = 0.0
        var count = 0
        for (n, video) in videos.enumerated() {
            let plane = video.frames * video.height * video.width
            for c in 0..<video.channels {
                for i in 0..<plane where masks.map({ !$0[n].occluded[i] }) ?? true {
                    total += Double(video.samples[c * plane + i])
                    count += 1
                }
            }
        }
        guard count > 0 else { throw ModelError("every pixel of the training videos is occluded") }
        let mean = Float(total / Double(count))
        var observed = try Tensor(videos: videos, subtracting: mean)
        var freeMask: Tensor? = nil
        if let masks {
            var maskTensor = Tensor(zeros: observed.shape)
            let plane = first.frames * first.height * first.width
            for (n, mask) in masks.enumerated() {
                for c in 0..<first.channels {
                    let base = (n * first.channels + c) * plane
                    for i in 0..<plane where mask.occluded[i] {
                        maskTensor.storage[base + i] = 1
                        if !keepOccludedValues { observed.storage[base + i] = 0 }
                    }
                }
            }
            freeMask = maskTensor
        }
        let net = try DescriptorNet(
            spec: spec, inputShape: first.shape, initialStd: options.initialWeightStd, seed: options.seed)
        var chains = Tensor(zeros: observed.shape.with(videos: options.chains))
        if options.chainStart == .noise {
            let spread = observed.withUnsafeBufferPointer {
                Float((VectorOps.sumOfSquares($0.baseAddress!, count: $0.count) / Double(max($0.count, 1))).squareRoot())
            }
            chains.withUnsafeMutableBufferPointer {
                GaussianNoise.fill($0, seed: options.seed, stream: 0xC4A1_5EED, scale: max(spread, options.sigma))
            }
        }
        let adam = Adam(
            parameterCount: net.parameters.count, learningRate: options.learningRate, beta1: options.beta1,
            beta2: options.beta2)
        try self.init(state: TrainingState(
            net: net, adam: adam, options: options, iteration: 0, mean: mean, chains: chains,
            observed: observed, freeMask: freeMask))
    }

    /// Continues from a saved state (for example a checkpoint).
    public convenience init(state: TrainingState) throws {
        try self.init(state: state, kernels: defaultKernels)
    }

    /// Continues from a saved state with the given convolution kernels.
    package init(state: TrainingState, kernels: any Conv3dKernels) throws {
        try state.options.validate()
        self.state = state
        let m = state.chains.shape.videos
        let n = state.observed.shape.videos
        sampler = LangevinSampler(net: state.net, capacity: max(m, n), kernels: kernels)
        updateEvaluator = EnergyEvaluator(net: state.net, capacity: m + n, kernels: kernels)
        batch = [Float](repeating: 0, count: (m + n) * state.net.inputShape.count)
        gradient = [Float](repeating: 0, count: state.net.parameters.count)
        seeds = [Float](repeating: 1 / Float(m), count: m) + [Float](repeating: -1 / Float(n), count: n)
    }

    /// Runs one learning iteration and returns what it measured.
    ///
    /// Throws when an energy or the chains stop being finite; `state` is then the state before
    /// this iteration's update is lost only in the chains, so save checkpoints from earlier states.
    public func step() throws -> IterationRecord {
        let options = state.options
        let iteration = state.iteration + 1
        let m = state.chains.shape.videos
        let n = state.observed.shape.videos
        let seed = options.seed
        func stream(_ phase: UInt64) -> (Int) -> UInt64 {
            { step in (UInt64(iteration) << 24) | (phase << 16) | UInt64(step) }
        }
        let clock = ContinuousClock()
        // Local references (no copies) so that reading the parameters while the chains are
        // written are not overlapping accesses to `state`.
        var parameters = state.net.parameters

        // 1. Recover the occluded samples of the observed videos.
        var recoverySeconds = 0.0
        let mean = state.mean
        if let freeMask = state.freeMask, iteration > options.recoveryWarmup {
            let start = clock.now
            parameters.withUnsafeBufferPointer { w in
                freeMask.withUnsafeBufferPointer { mask in
                    state.observed.withUnsafeMutableBufferPointer { x in
                        _ = sampler.run(
                            x.baseAddress!, videos: n, parameters: w.baseAddress!, steps: options.langevinSteps,
                            stepSize: options.stepSize, sigma: options.sigma, seed: seed, stream: stream(1),
                            mask: mask.baseAddress!)
                        // Recovered samples are pixels: keep them in 0–255 (a projection that
                        // stops an immature model from pushing them to values no video has).
                        VectorOps.clamp(x.baseAddress!, count: x.count, lower: -mean, upper: 255 - mean)
                    }
                }
            }
            recoverySeconds = (clock.now - start).seconds
        }

        // 2. Synthesis: Langevin on the persistent chains.
        var start = clock.now
        parameters.withUnsafeBufferPointer { w in
            state.chains.withUnsafeMutableBufferPointer { x in
                _ = sampler.run(
                    x.baseAddress!, videos: m, parameters: w.baseAddress!, steps: options.langevinSteps,
                    stepSize: options.stepSize, sigma: options.sigma, seed: seed, stream: stream(2))
            }
        }
        let langevinSeconds = (clock.now - start).seconds

        // 3. Update: one batched pass over [chains; observed] with seeds +1/M and −1/N gives the
        //    gradient of mean f(synthesized) − mean f(observed), which Adam minimises.
        start = clock.now
        let size = state.net.inputShape.count
        batch.replaceSubrange(0..<m * size, with: state.chains.storage)
        if options.shiftObserved {
            // Stationary learning: the observed videos at a random cyclic shift in time and space,
            // so that the model cannot tie its features to absolute positions of the one clip.
            var rng = Xoshiro256(seed: splitMix64(seed ^ 0x5D1F_7000) &+ UInt64(iteration))
            let shape = state.observed.shape
            let shift = (t: Int(rng.next() % UInt64(shape.frames)), y: Int(rng.next() % UInt64(shape.height)),
                         x: Int(rng.next() % UInt64(shape.width)))
            state.observed.withUnsafeBufferPointer { source in
                batch.withUnsafeMutableBufferPointer { target in
                    CyclicShift.apply(source.baseAddress!, shape: shape, by: shift, into: target.baseAddress! + m * size)
                }
            }
        } else {
            batch.replaceSubrange(m * size..<(m + n) * size, with: state.observed.storage)
        }
        for i in gradient.indices { gradient[i] = 0 }
        parameters.withUnsafeBufferPointer { w in
            batch.withUnsafeBufferPointer { x in
                gradient.withUnsafeMutableBufferPointer { g in
                    updateEvaluator.forward(input: x.baseAddress!, videos: m + n, parameters: w.baseAddress!)
                    updateEvaluator.backward(
                        input: x.baseAddress!, videos: m + n, parameters: w.baseAddress!, seeds: seeds,
                        gradInput: nil, gradParameters: g.baseAddress!)
                }
            }
        }
        let energies = updateEvaluator.energies
        let fSynthesized = energies[0..<m].reduce(0.0) { $0 + Double($1) } / Double(m)
        let fObserved = energies[m..<m + n].reduce(0.0) { $0 + Double($1) } / Double(n)
        let gradientNorm = gradient.withUnsafeBufferPointer {
            VectorOps.sumOfSquares($0.baseAddress!, count: $0.count).squareRoot()
        }
        let chainsFinite = state.chains.withUnsafeBufferPointer {
            VectorOps.sum($0.baseAddress!, count: $0.count).isFinite
        }
        guard fSynthesized.isFinite, fObserved.isFinite, gradientNorm.isFinite, chainsFinite else {
            let what = !chainsFinite ? "the synthesized chains" : (!fSynthesized.isFinite ? "f(synthesized)" :
                (!fObserved.isFinite ? "f(observed)" : "the parameter gradient"))
            throw ModelError(
                "learning diverged at iteration \(iteration): \(what) is not finite (NaN or Inf). "
                    + "Lower --step-size (now \(options.stepSize)) or --lr (now \(options.learningRate)), "
                    + "or raise --sigma (now \(options.sigma)); the last checkpoint is kept.")
        }
        // In place: the local reference goes first, so the update does not copy the weights
        // (hundreds of megabytes for the frame-spanning layers).
        parameters = []
        var updated = state.net.parameters
        state.net.parameters = []
        state.adam.update(&updated, gradient: gradient)
        state.net.parameters = updated
        let updateSeconds = (clock.now - start).seconds
        state.iteration = iteration

        return IterationRecord(
            iteration: iteration, meanObservedEnergy: fObserved, meanSynthesizedEnergy: fSynthesized,
            energyDifference: fObserved - fSynthesized, gradientNorm: gradientNorm,
            langevinSeconds: langevinSeconds, recoverySeconds: recoverySeconds, updateSeconds: updateSeconds)
    }

    /// The synthesized videos on the 0–255 scale (not clipped).
    public var synthesizedVideos: [Video] { state.chains.videos(adding: state.mean) }

    /// The observed videos with their occluded samples at the current recovered values (0–255).
    public var recoveredVideos: [Video] { state.observed.videos(adding: state.mean) }
}

extension Duration {
    /// This duration in seconds.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
