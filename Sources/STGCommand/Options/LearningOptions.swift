import ArgumentParser
import STGConvNet
import STGTensor

/// Hyper-parameters of learning; defaults are the paper's reference values.
struct LearningOptions: ParsableArguments {
    @Option(help: "Learning iterations.")
    var iterations: Int?

    @Option(help: "Number M of synthesized chains.")
    var chains: Int = 3

    @Option(help: "Langevin steps l per learning iteration.")
    var langevinSteps: Int = 20

    @Option(help: "Langevin step size δ.")
    var stepSize: Float = 0.3

    @Option(help: "Standard deviation σ of the reference Gaussian.")
    var sigma: Float = 1

    @Option(help: "Adam learning rate η.")
    var lr: Float = 0.001

    @Option(help: "Adam β1.")
    var beta1: Float = 0.5

    @Option(help: "Where chains start: zero (the training mean) or noise (independent noise at the data's contrast).")
    var chainStart: ChainStart = .zero

    @Flag(help: "Learn from the observed video at a random cyclic shift each iteration (stationary patterns: new videos rather than copies).")
    var shift = false

    @Option(help: "Random seed: the same seed and build give the same run.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let iterations, iterations < 0 { throw ValidationError("--iterations must be ≥ 0") }
        if chains < 1 { throw ValidationError("--chains must be ≥ 1") }
        if langevinSteps < 0 { throw ValidationError("--langevin-steps must be ≥ 0") }
        if !(stepSize > 0) { throw ValidationError("--step-size must be positive") }
        if !(sigma > 0) { throw ValidationError("--sigma must be positive") }
        if !(lr > 0) { throw ValidationError("--lr must be positive") }
        if !(beta1 >= 0 && beta1 < 1) { throw ValidationError("--beta1 must be in [0, 1)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1") }
    }

    func trainingOptions(defaultIterations: Int) -> TrainingOptions {
        var options = TrainingOptions()
        options.iterations = iterations ?? defaultIterations
        options.chains = chains
        options.langevinSteps = langevinSteps
        options.stepSize = stepSize
        options.sigma = sigma
        options.learningRate = lr
        options.beta1 = beta1
        options.chainStart = chainStart
        options.shiftObserved = shift
        options.seed = seed
        return options
    }

    func applyThreads() {
        if let threads { Parallel.threads = threads }
    }
}

extension ChainStart: ExpressibleByArgument {}
