import ArgumentParser
import STGConvNet

/// How STGConvNet recovers occluded pixels while it learns.
struct RecoveryOptions: ParsableArguments {
    @Option(help: "Where occluded pixels start: mean (of the visible pixels) or interp (temporal interpolation).")
    var initialFill: InitialFillName = RecoveryDefaults.initialFill

    @Option(help: "Iterations that learn from the initial fill before occluded pixels start to move.")
    var recoveryWarmup: Int = RecoveryDefaults.warmup

    @Option(help: "Report the mean of the recovered pixels over the last K iterations (1: the last state).")
    var averageLast: Int = RecoveryDefaults.averageLast

    func validate() throws {
        if recoveryWarmup < 0 { throw ValidationError("--recovery-warmup must be ≥ 0") }
        if averageLast < 1 { throw ValidationError("--average-last must be ≥ 1") }
    }
}

/// The defaults of `recover` and `inpaint`, chosen on the fountain experiments (README, "Recovery").
///
/// `fcs` rather than `st`: the fountain is a scene with a layout, and the frame-spanning layer
/// learns it; with the spatially stationary `st` the error at pixels:0.5 rose to about 30 within 5
/// recovery iterations (after 50 warm-up iterations), with `fcs` to about 11 (after 150). Learning first from the interpolated fill (warm-up) keeps
/// an untrained model's Gaussian prior from pulling the occluded pixels to the mean; the last
/// 40 states are averaged (an estimate of the posterior mean, not one sample).
enum RecoveryDefaults {
    static let preset = Preset.fcs
    static let iterations = 200
    static let initialFill = InitialFillName.interp
    static let warmup = 150
    static let averageLast = 40
}

enum InitialFillName: String, CaseIterable, ExpressibleByArgument {
    case mean
    case interp
}
