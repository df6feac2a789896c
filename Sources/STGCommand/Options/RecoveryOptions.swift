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
/// A frame-spanning model rather than `st`: the fountain is a scene with a layout, and the
/// frame-spanning layer learns it; with the spatially stationary `st` the error at pixels:0.5 rose
/// to about 30 within 5 recovery iterations (after 50 warm-up iterations), with `fcs` to about 11
/// (after 150). The occluded pixels settle within a few iterations on the model's reconstruction,
/// which improves the longer the model has learned: `fcs` 200 iterations (150 warm-up) 11.44,
/// 430 (400) 6.43, `fcs-small` 900 (750) 5.08 in 25 minutes. Learning first from the
/// interpolated fill (warm-up) keeps an untrained model's Gaussian prior from pulling the
/// occluded pixels to the mean; the last 50 states are averaged (an estimate of the posterior
/// mean, not one sample).
enum RecoveryDefaults {
    static let preset = Preset.fcsSmall
    static let iterations = 900
    static let initialFill = InitialFillName.interp
    static let warmup = 750
    static let averageLast = 50

    /// One line for the commands' help.
    static let summary = """
        By default the model is --preset \(preset.rawValue), --iterations \(iterations) of which \(warmup) learn before \
        occluded pixels move: about 25 minutes for 32 frames of 100x100 on two cores.
        """
}

enum InitialFillName: String, CaseIterable, ExpressibleByArgument {
    case mean
    case interp
}
