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

/// The defaults of `recover` and `inpaint` (chosen on the fountain experiments; see README).
enum RecoveryDefaults {
    static let preset = Preset.st
    static let iterations = 300
    static let initialFill = InitialFillName.mean
    static let warmup = 0
    static let averageLast = 1
}

enum InitialFillName: String, CaseIterable, ExpressibleByArgument {
    case mean
    case interp
}
