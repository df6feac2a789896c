import STGMedia
import STGTensor

/// `mrf-l1`: the occluded pixels minimise Σ over space-time neighbour pairs (6-neighbourhood,
/// equal weights) of |u_p − u_q|, with the visible pixels fixed (anisotropic total variation).
///
/// Solved by iteratively reweighted least squares on the smoothed energy
/// Σ √((u_p − u_q)² + ε²), which is within ε of |u_p − u_q| per edge (on a step edge the
/// recovered values are within about 5ε grey levels of the sharp L1 solution). Each step computes
/// weights w_pq = ε / √((u_p − u_q)² + ε²) from the current u and improves u on the weighted L2
/// problem (a majorizer, so the energy never increases) by warm-started conjugate gradients
/// (`LaplacianSolver`, at most `innerIterations` steps). The first step has unit weights and is
/// solved fully (the `mrf-l2` solution, from the visible mean). Continuation: ε starts at
/// `epsilonStart` and shrinks by 4 per stage down to `epsilon`; each stage runs to a tolerance
/// proportional to its ε (the last one to `tolerance`), which cuts the iterations by about 2.
///
/// Convergence: stops when, right after reweighting, every unknown is within `tolerance` grey
/// levels of the weighted mean of its neighbours (the gradient of the smoothed energy,
/// normalised per pixel), or after `maxIterations` reweighting steps (the report says which).
/// Defaults: ε = 0.1, tolerance 0.01 grey levels. Channels run in parallel. When nothing is
/// visible, occluded samples become 0. Visible samples are copied bit-identically.
public struct MarkovRandomFieldL1: RecoveryMethod {
    /// Smoothing of |d|, grey levels.
    public var epsilon: Double
    /// Stopping tolerance, grey levels: largest distance of an unknown from the weighted mean of
    /// its neighbours after reweighting.
    public var tolerance: Double
    /// Reweighting step limit.
    public var maxIterations: Int
    /// Conjugate-gradient step limit of each reweighted solve after the first.
    public var innerIterations: Int

    /// Smoothing of the first reweighting stage, grey levels (continuation: ε shrinks by 4 per
    /// stage down to `epsilon`).
    public var epsilonStart: Double

    public init(
        epsilon: Double = 0.1, epsilonStart: Double = 16, tolerance: Double = 1e-2, maxIterations: Int = 500,
        innerIterations: Int = 50
    ) {
        self.epsilon = epsilon
        self.epsilonStart = epsilonStart
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.innerIterations = innerIterations
    }

    public var name: String { Baseline.mrfL1.rawValue }

    public func recoverWithReport(_ video: Video, mask: VideoMask) -> RecoveryOutcome {
        preconditionFits(mask, video)
        var out = Occlusion.initialFill(video, mask: mask, method: .visibleMean)
        let graph = OcclusionGraph(
            unknown: mask.occluded, frames: video.frames, height: video.height, width: video.width, temporal: true)
        let channels = video.channels
        let volume = mask.occluded.count
        var reports = [SolverReport](repeating: .empty(tolerance: tolerance), count: channels)
        out.samples.withUnsafeMutableBufferPointer { samples in
            reports.withUnsafeMutableBufferPointer { reportsOut in
                let samples = UncheckedSendable(samples)
                let reportsOut = UncheckedSendable(reportsOut)
                // Each channel reads and writes only its own volume and its own report slot.
                Parallel.forEach(channels) { c in
                    let base = samples.value.baseAddress! + c * volume
                    reportsOut.value[c] = solveChannel(graph: graph, volume: base)
                }
            }
        }
        return RecoveryOutcome(video: out, report: SolverReport.merged(reports))
    }

    /// IRLS for one channel's volume (frames × height × width): unknowns are read as the start
    /// and overwritten with the result.
    func solveChannel(graph: OcclusionGraph, volume: UnsafeMutablePointer<Float>) -> SolverReport {
        let n = graph.unknownCount
        if n == 0 { return .empty(tolerance: tolerance) }
        let slotCount = OcclusionGraph.slotsPerUnknown
        var x = graph.position.map { Double(volume[Int($0)]) }
        var weights = [Double](repeating: 1, count: n * slotCount)
        let first = LaplacianSolver(graph: graph, tolerance: tolerance / 2, maxIterations: 20_000)
        var cgSteps = first.solve(fixed: volume, weights: nil, x: &x).steps
        var steps = 1
        var stationarity = Double.infinity
        // Continuation: ε from `epsilonStart` down to `epsilon` by factors of 4, each stage to
        // a tolerance proportional to its ε.
        var stageEpsilon = max(epsilon, epsilonStart)
        while true {
            let stageTolerance = tolerance * stageEpsilon / epsilon
            let inner = LaplacianSolver(graph: graph, tolerance: stageTolerance / 2, maxIterations: innerIterations)
            while steps < maxIterations {
                reweight(graph: graph, volume: volume, x: x, epsilon: stageEpsilon, into: &weights)
                let result = inner.solve(fixed: volume, weights: weights, x: &x)
                stationarity = result.initialResidual
                if stationarity <= stageTolerance { break }
                cgSteps += result.steps
                steps += 1
            }
            if stageEpsilon <= epsilon || steps >= maxIterations { break }
            stageEpsilon = max(epsilon, stageEpsilon / 4)
        }
        for (k, p) in graph.position.enumerated() { volume[Int(p)] = Float(x[k]) }
        return SolverReport(
            iterations: steps, conjugateGradientSteps: cgSteps, residual: stationarity, tolerance: tolerance,
            converged: stationarity <= tolerance)
    }

    /// Overwrites `weights` (one per slot) with ε / √((u_i − u_neighbour)² + ε²) for the current
    /// unknowns `x` and fixed values in `volume`; symmetric because |u_p − u_q| is.
    private func reweight(
        graph: OcclusionGraph, volume: UnsafeMutablePointer<Float>, x: [Double], epsilon: Double,
        into weights: inout [Double]
    ) {
        let slotCount = OcclusionGraph.slotsPerUnknown
        let epsilonSquared = epsilon * epsilon
        graph.slots.withUnsafeBufferPointer { slots in
            x.withUnsafeBufferPointer { x in
                weights.withUnsafeMutableBufferPointer { weights in
                    for i in 0..<x.count {
                        for s in i * slotCount..<(i + 1) * slotCount {
                            let k = slots[s]
                            if k == OcclusionGraph.absent { continue }
                            let neighbour = k >= 0 ? x[Int(k)] : Double(volume[Int(-2 - k)])
                            let d = x[i] - neighbour
                            weights[s] = epsilon / (d * d + epsilonSquared).squareRoot()
                        }
                    }
                }
            }
        }
    }
}
