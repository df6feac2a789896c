import STGMedia

/// Runs recovery methods on one occluded video and scores them against the truth.
public enum BaselineComparison {
    /// One method's result: errors over the occluded samples, wall-clock time, solver report.
    public struct Row: Sendable {
        /// The method's name (`RecoveryMethod.name`).
        public var method: String
        /// Mean absolute error over occluded samples, grey levels (0–255 scale).
        public var mae: Double
        /// PSNR over occluded samples, dB (peak 255).
        public var psnr: Double
        /// Wall-clock seconds of `recoverWithReport` alone.
        public var seconds: Double
        /// How an iterative method's solver finished; nil for direct methods.
        public var report: SolverReport?
    }

    /// Occludes `truth` with `mask` (occluded samples set to 0, so no method can read the truth
    /// there), recovers it with each method in turn and scores the results.
    /// - Parameters:
    ///   - video: the truth, channels × frames × height × width, 0–255.
    ///   - mask: frames × height × width, `true` = occluded; must fit the video.
    ///   - methods: the methods to compare, in table order (default: every `Baseline`).
    public static func run(
        video truth: Video, mask: VideoMask, methods: [any RecoveryMethod] = Baseline.allCases.map(\.method)
    ) -> [Row] {
        preconditionFits(mask, truth)
        let input = Occlusion.apply(mask, to: truth, fill: 0)
        let clock = ContinuousClock()
        return methods.map { method in
            var outcome: RecoveryOutcome?
            let elapsed = clock.measure { outcome = method.recoverWithReport(input, mask: mask) }
            let metrics = RecoveryMetrics(recovered: outcome!.video, truth: truth, mask: mask)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return Row(
                method: method.name, mae: metrics.meanAbsoluteError, psnr: metrics.peakSignalToNoiseRatio,
                seconds: seconds, report: outcome!.report)
        }
    }

    /// The rows as a plain-text table: method, MAE, PSNR, seconds, solver iterations.
    public static func table(_ rows: [Row]) -> String {
        func fixed(_ value: Double, _ decimals: Int) -> String {
            if value.isNaN { return "nan" }
            if value.isInfinite { return value > 0 ? "inf" : "-inf" }
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            let rounded = (value * scale).rounded() / scale
            var text = "\(rounded)"
            if let dot = text.firstIndex(of: ".") {
                let have = text.distance(from: dot, to: text.endIndex) - 1
                if have < decimals { text += String(repeating: "0", count: decimals - have) }
            }
            return text
        }
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        let nameWidth = max(6, rows.map(\.method.count).max() ?? 0)
        var lines = [
            pad("method", nameWidth, left: true) + "  " + pad("MAE", 8) + "  " + pad("PSNR dB", 8) + "  "
                + pad("seconds", 8) + "  solver"
        ]
        for row in rows {
            let solver = row.report.map {
                "\($0.iterations) it, \($0.conjugateGradientSteps) CG" + ($0.converged ? "" : " (not converged)")
            } ?? "-"
            lines.append(
                pad(row.method, nameWidth, left: true) + "  " + pad(fixed(row.mae, 3), 8) + "  "
                    + pad(fixed(row.psnr, 2), 8) + "  " + pad(fixed(row.seconds, 3), 8) + "  " + solver)
        }
        return lines.joined(separator: "\n")
    }
}
