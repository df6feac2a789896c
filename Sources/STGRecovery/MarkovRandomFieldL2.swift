import STGMedia

/// `mrf-l2`: the occluded pixels minimise Σ over space-time neighbour pairs (6-neighbourhood:
/// x±1, y±1, t±1, equal weights) of (u_p − u_q)², with the visible pixels fixed.
///
/// The minimiser solves the graph-Laplacian system restricted to the occluded pixels (each
/// equals the mean of its neighbours); solved per channel, channels in parallel, by Jacobi-
/// preconditioned conjugate gradients from the channel's visible mean, until every unknown is
/// within `tolerance` grey levels of the mean of its neighbours (`LaplacianSolver`). When nothing
/// is visible, occluded samples become 0. Visible samples are copied bit-identically.
public struct MarkovRandomFieldL2: RecoveryMethod {
    /// Stopping tolerance in grey levels: max |mean of neighbours − value| over unknowns.
    public var tolerance: Double
    /// Conjugate-gradient step limit.
    public var maxIterations: Int

    public init(tolerance: Double = 1e-5, maxIterations: Int = 20_000) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    public var name: String { Baseline.mrfL2.rawValue }

    public func recoverWithReport(_ video: Video, mask: VideoMask) -> RecoveryOutcome {
        preconditionFits(mask, video)
        var out = Occlusion.initialFill(video, mask: mask, method: .visibleMean)
        let graph = OcclusionGraph(
            unknown: mask.occluded, frames: video.frames, height: video.height, width: video.width, temporal: true)
        let report = LaplacianSolver(graph: graph, tolerance: tolerance, maxIterations: maxIterations)
            .solveChannels(&out)
        return RecoveryOutcome(video: out, report: report)
    }
}
