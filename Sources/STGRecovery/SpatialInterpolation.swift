import STGMedia

/// `interp-spatial`: each frame's occluded pixels are filled from the visible pixels of the same
/// frame by harmonic interpolation.
///
/// Within each frame, the occluded pixels solve the discrete Laplace equation on the
/// 4-neighbourhood (each equals the mean of its in-frame neighbours) with the visible pixels
/// fixed: the minimiser of Σ over in-frame neighbour pairs of squared differences, solved by
/// preconditioned conjugate gradients from the channel's visible mean (see `LaplacianSolver`).
/// Frames with no visible pixel fall back to linear interpolation along time between the
/// nearest frames that have one (after those are filled). When nothing is visible, occluded
/// samples become 0. Visible samples are copied bit-identically.
public struct SpatialInterpolation: RecoveryMethod {
    /// Stopping tolerance in grey levels: max |mean of neighbours − value| over unknowns.
    public var tolerance: Double
    /// Conjugate-gradient step limit.
    public var maxIterations: Int

    public init(tolerance: Double = 1e-5, maxIterations: Int = 20_000) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    public var name: String { Baseline.interpSpatial.rawValue }

    public func recoverWithReport(_ video: Video, mask: VideoMask) -> RecoveryOutcome {
        preconditionFits(mask, video)
        let plane = video.planeCount
        let frameHasVisible = (0..<video.frames).map { t in
            mask.occluded[t * plane..<(t + 1) * plane].contains(false)
        }
        var out = Occlusion.initialFill(video, mask: mask, method: .visibleMean)
        if !frameHasVisible.contains(true) { return RecoveryOutcome(video: out, report: nil) }
        let unknown = mask.occluded.indices.map { mask.occluded[$0] && frameHasVisible[$0 / plane] }
        let graph = OcclusionGraph(
            unknown: unknown, frames: video.frames, height: video.height, width: video.width, temporal: false)
        let report = LaplacianSolver(graph: graph, tolerance: tolerance, maxIterations: maxIterations)
            .solveChannels(&out)
        if frameHasVisible.contains(false) {
            let known = mask.occluded.indices.map { frameHasVisible[$0 / plane] }
            _ = TemporalInterpolation.interpolateAlongTime(&out, known: known)
        }
        return RecoveryOutcome(video: out, report: report)
    }
}
