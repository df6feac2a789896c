/// Where the synthesized chains start.
public enum ChainStart: String, Codable, Sendable, CaseIterable {
    /// All zeros: every chain starts at the training mean.
    case zero
    /// Independent Gaussian noise around the training mean with the observed videos' standard
    /// deviation: distinct starts at the data's contrast, so chains can find different modes.
    case noise
}

/// The hyper-parameters of learning and synthesis. Defaults are the paper's reference values.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// Learning iterations to run in all.
    public var iterations = 1000
    /// Number M of persistent synthesized chains.
    public var chains = 3
    /// Langevin steps l per learning iteration.
    public var langevinSteps = 20
    /// Langevin step size δ.
    public var stepSize: Float = 0.3
    /// Standard deviation σ of the reference Gaussian q.
    public var sigma: Float = 1
    /// Adam learning rate η.
    public var learningRate: Float = 0.001
    /// Adam β1.
    public var beta1: Float = 0.5
    /// Adam β2.
    public var beta2: Float = 0.999
    /// Standard deviation of the initial weights.
    public var initialWeightStd: Float = 0.001
    /// Where the chains start.
    public var chainStart: ChainStart = .zero
    /// Learn from the observed videos at a new random cyclic shift in time and space each
    /// iteration (for stationary patterns: the model cannot memorise where things are in the clip).
    public var shiftObserved = false
    /// With incomplete data: iterations that learn from the initial fill before the occluded
    /// samples start to move (0: they move from the first iteration, as in the paper).
    public var recoveryWarmup = 0
    /// Seed of every random choice (weights, noise): the same seed and build give the same run.
    public var seed: UInt64 = 1

    public init() {}

    enum CodingKeys: String, CodingKey {
        case iterations, chains, langevinSteps, stepSize, sigma, learningRate, beta1, beta2, initialWeightStd
        case chainStart, shiftObserved, recoveryWarmup, seed
    }

    public init(from decoder: Decoder) throws {
        // Keys added in later versions are optional, so older checkpoints still load.
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iterations = try c.decode(Int.self, forKey: .iterations)
        chains = try c.decode(Int.self, forKey: .chains)
        langevinSteps = try c.decode(Int.self, forKey: .langevinSteps)
        stepSize = try c.decode(Float.self, forKey: .stepSize)
        sigma = try c.decode(Float.self, forKey: .sigma)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        beta1 = try c.decode(Float.self, forKey: .beta1)
        beta2 = try c.decode(Float.self, forKey: .beta2)
        initialWeightStd = try c.decode(Float.self, forKey: .initialWeightStd)
        chainStart = try c.decode(ChainStart.self, forKey: .chainStart)
        shiftObserved = try c.decodeIfPresent(Bool.self, forKey: .shiftObserved) ?? false
        recoveryWarmup = try c.decodeIfPresent(Int.self, forKey: .recoveryWarmup) ?? 0
        seed = try c.decode(UInt64.self, forKey: .seed)
    }

    /// Checks ranges, with messages that name the option.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw ModelError(message) } }
        try check(iterations >= 0, "--iterations must be ≥ 0, got \(iterations)")
        try check(chains >= 1, "--chains must be ≥ 1, got \(chains)")
        try check(langevinSteps >= 0, "--langevin-steps must be ≥ 0, got \(langevinSteps)")
        try check(stepSize > 0 && stepSize.isFinite, "--step-size must be positive, got \(stepSize)")
        try check(sigma > 0 && sigma.isFinite, "--sigma must be positive, got \(sigma)")
        try check(learningRate > 0 && learningRate.isFinite, "--lr must be positive, got \(learningRate)")
        try check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got \(beta1)")
        try check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got \(beta2)")
        try check(recoveryWarmup >= 0, "--recovery-warmup must be ≥ 0, got \(recoveryWarmup)")
    }
}
