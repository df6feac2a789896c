import STGMedia

/// A way to fill in the occluded samples of a video.
///
/// `video`: channels × frames × height × width, 0–255; `mask`: frames × height × width,
/// `true` = occluded, shared by channels, and must fit the video (a mismatch is a programmer
/// error; validate user input with `RecoveryError.check(_:fits:)`). The result has the same size,
/// every visible sample bit-identical to `video`, and every occluded sample replaced (the values
/// `video` holds at occluded positions are never read).
public protocol RecoveryMethod: Sendable {
    /// The name the CLI and tables use (`interp-temporal`, `mrf-l2`, …).
    var name: String { get }

    /// The recovered video.
    func recover(_ video: Video, mask: VideoMask) -> Video

    /// The recovered video and, for iterative methods, how the solver finished.
    func recoverWithReport(_ video: Video, mask: VideoMask) -> RecoveryOutcome
}

extension RecoveryMethod {
    public func recover(_ video: Video, mask: VideoMask) -> Video {
        recoverWithReport(video, mask: mask).video
    }
}

/// A recovered video with the solver's report (nil for direct methods with nothing to report).
public struct RecoveryOutcome: Sendable {
    public var video: Video
    public var report: SolverReport?

    public init(video: Video, report: SolverReport?) {
        self.video = video
        self.report = report
    }
}

/// How an iterative solver finished, over all channels.
public struct SolverReport: Sendable, Equatable, CustomStringConvertible {
    /// Iterations of the outer loop: conjugate-gradient steps for L2 solves, reweighting
    /// steps for IRLS; the largest over channels.
    public var iterations: Int
    /// Conjugate-gradient steps in total, summed over channels (and over reweighting steps).
    public var conjugateGradientSteps: Int
    /// The final value of the stopping measure (largest over channels): for L2 solves, in grey
    /// levels, max over unknowns of |mean of neighbours − u|; for `mrf-l1`, the largest gradient
    /// of the smoothed energy (see `MarkovRandomFieldL1`).
    public var residual: Double
    /// The stopping threshold for `residual`, in grey levels.
    public var tolerance: Double
    /// Whether every channel reached the tolerance before the iteration limit.
    public var converged: Bool

    public init(iterations: Int, conjugateGradientSteps: Int, residual: Double, tolerance: Double, converged: Bool) {
        self.iterations = iterations
        self.conjugateGradientSteps = conjugateGradientSteps
        self.residual = residual
        self.tolerance = tolerance
        self.converged = converged
    }

    /// Nothing to solve.
    static func empty(tolerance: Double) -> SolverReport {
        SolverReport(iterations: 0, conjugateGradientSteps: 0, residual: 0, tolerance: tolerance, converged: true)
    }

    /// Combines the reports of independent solves (channels, passes).
    static func merged(_ reports: [SolverReport]) -> SolverReport? {
        guard let first = reports.first else { return nil }
        return reports.dropFirst().reduce(first) { a, b in
            SolverReport(
                iterations: max(a.iterations, b.iterations),
                conjugateGradientSteps: a.conjugateGradientSteps + b.conjugateGradientSteps,
                residual: max(a.residual, b.residual), tolerance: max(a.tolerance, b.tolerance),
                converged: a.converged && b.converged)
        }
    }

    public var description: String {
        "\(converged ? "converged" : "NOT converged") after \(iterations) iterations "
            + "(\(conjugateGradientSteps) CG steps), residual \(residual) (tolerance \(tolerance))"
    }
}

/// The baseline recovery methods by name, with default settings.
public enum Baseline: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case interpTemporal = "interp-temporal"
    case interpSpatial = "interp-spatial"
    case mrfL2 = "mrf-l2"
    case mrfL1 = "mrf-l1"

    public var description: String { rawValue }

    /// The method with default settings.
    public var method: any RecoveryMethod {
        switch self {
        case .interpTemporal: return TemporalInterpolation()
        case .interpSpatial: return SpatialInterpolation()
        case .mrfL2: return MarkovRandomFieldL2()
        case .mrfL1: return MarkovRandomFieldL1()
        }
    }

    /// Parses a baseline name (case-insensitive); throws naming the accepted names.
    public init(parsing text: String) throws(RecoveryError) {
        guard let value = Baseline(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw RecoveryError(
                "recovery method '\(text)'",
                "unknown method; accepted: \(Baseline.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }
}
