import STGMedia
import STGTensor

/// Solves the weighted graph-Laplacian system of a recovery problem by preconditioned conjugate
/// gradients, for one channel.
///
/// Minimises E(u) = Σ over graph edges w_pq (u_p − u_q)² over the unknowns u with the fixed
/// pixels held, i.e. solves A u = b with A = D − W_UU (D_ii = Σ_slots w, W_UU the weights
/// between unknowns) and b_i = Σ over fixed neighbours w·v. A is symmetric positive
/// semi-definite (definite on every component touching a fixed pixel); a component with no
/// fixed pixel keeps its start mean. Jacobi preconditioner, arithmetic in Double.
///
/// Stops when max_i |b − A u|_i / D_ii ≤ `tolerance` (grey levels: how far any unknown is from
/// the weighted mean of its neighbours) or after `maxIterations` steps.
struct LaplacianSolver {
    let graph: OcclusionGraph
    let tolerance: Double
    let maxIterations: Int

    /// Improves `x` (one value per unknown, the start on entry) in place.
    /// - Parameters:
    ///   - fixed: one channel's volume (frames × height × width); only fixed pixels are read.
    ///   - weights: one weight per slot (`OcclusionGraph.slotsPerUnknown` per unknown, symmetric
    ///     between the two ends of an edge); nil means all 1.
    /// - Returns: steps taken, and the residual measure at the start and at the end.
    func solve(
        fixed: UnsafePointer<Float>, weights: [Double]?, x: inout [Double]
    ) -> (steps: Int, initialResidual: Double, residual: Double) {
        let n = graph.unknownCount
        if n == 0 { return (0, 0, 0) }
        precondition(x.count == n, "start has \(x.count) values for \(n) unknowns")
        let slotCount = OcclusionGraph.slotsPerUnknown
        let weights = weights ?? [Double](repeating: 1, count: n * slotCount)
        precondition(weights.count == n * slotCount, "\(weights.count) weights for \(n * slotCount) slots")
        // Work vectors, one value per unknown: diagonal D, residual r (first b), preconditioned
        // residual z, search direction p, q = A p.
        let work = UnsafeMutableBufferPointer<Double>.allocate(capacity: 5 * n)
        defer { work.deallocate() }
        work.initialize(repeating: 0)
        let diagonal = work.baseAddress!, r = diagonal + n, z = r + n, p = z + n, q = p + n
        return graph.slots.withUnsafeBufferPointer { slots in
            graph.edgeStart.withUnsafeBufferPointer { edgeStart in
                graph.edges.withUnsafeBufferPointer { edges in
                    weights.withUnsafeBufferPointer { w in
                        x.withUnsafeMutableBufferPointer { x in
                            // Diagonal and right-hand side.
                            for i in 0..<n {
                                var d = 0.0, b = 0.0
                                for s in i * slotCount..<(i + 1) * slotCount {
                                    let k = slots[s]
                                    if k == OcclusionGraph.absent { continue }
                                    d += w[s]
                                    if k < -1 { b += w[s] * Double(fixed[Int(-2 - k)]) }
                                }
                                if d > 0 {
                                    diagonal[i] = d
                                    r[i] = b
                                } else {
                                    diagonal[i] = 1  // isolated unknown (no neighbours): keeps its start
                                    r[i] = x[i]
                                }
                            }
                            // (A v)_i = D_ii v_i − Σ over unknown neighbours k of w v_k.
                            func multiply(_ v: UnsafePointer<Double>, _ i: Int) -> Double {
                                var sum = diagonal[i] * v[i]
                                for e in Int(edgeStart[i])..<Int(edgeStart[i + 1]) {
                                    sum -= w[Int(edges[e].slot)] * v[Int(edges[e].neighbour)]
                                }
                                return sum
                            }
                            let xp = UnsafePointer(x.baseAddress!)
                            var residual = 0.0
                            var rz = 0.0
                            for i in 0..<n {
                                r[i] -= multiply(xp, i)
                                z[i] = r[i] / diagonal[i]
                                p[i] = z[i]
                                rz += r[i] * z[i]
                                residual = max(residual, abs(z[i]))
                            }
                            let initialResidual = residual
                            var steps = 0
                            while residual > tolerance && steps < maxIterations {
                                var pq = 0.0
                                for i in 0..<n {
                                    q[i] = multiply(p, i)
                                    pq += p[i] * q[i]
                                }
                                if !(pq > 0) { break }  // round-off level, or a component without anchor
                                let alpha = rz / pq
                                var rzNext = 0.0
                                residual = 0
                                for i in 0..<n {
                                    x[i] += alpha * p[i]
                                    r[i] -= alpha * q[i]
                                    z[i] = r[i] / diagonal[i]
                                    rzNext += r[i] * z[i]
                                    residual = max(residual, abs(z[i]))
                                }
                                let beta = rzNext / rz
                                rz = rzNext
                                for i in 0..<n { p[i] = z[i] + beta * p[i] }
                                steps += 1
                            }
                            return (steps, initialResidual, residual)
                        }
                    }
                }
            }
        }
    }

    /// Solves every channel of `video` in parallel (unit weights): unknown samples are read as
    /// the start and overwritten with the solution; fixed samples are read only.
    func solveChannels(_ video: inout Video) -> SolverReport {
        let channels = video.channels
        let volume = video.frames * video.planeCount
        var reports = [SolverReport](repeating: .empty(tolerance: tolerance), count: channels)
        video.samples.withUnsafeMutableBufferPointer { samples in
            reports.withUnsafeMutableBufferPointer { out in
                let samples = UncheckedSendable(samples)
                let out = UncheckedSendable(out)
                // Each channel reads and writes only its own volume and its own report slot.
                Parallel.forEach(channels) { c in
                    let base = samples.value.baseAddress! + c * volume
                    var x = graph.position.map { Double(base[Int($0)]) }
                    let (steps, _, residual) = solve(fixed: base, weights: nil, x: &x)
                    for (k, p) in graph.position.enumerated() { base[Int(p)] = Float(x[k]) }
                    out.value[c] = SolverReport(
                        iterations: steps, conjugateGradientSteps: steps, residual: residual,
                        tolerance: tolerance, converged: residual <= tolerance)
                }
            }
        }
        return SolverReport.merged(reports) ?? .empty(tolerance: tolerance)
    }
}
