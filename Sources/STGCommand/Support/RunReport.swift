import Foundation
import STGConvNet
import STGMedia

/// How close synthesized videos are to the observed one, and whether they are new videos:
/// computed by the library (`VideoStatistics`, `NoveltyReport`), laid out here as Markdown and JSON.
struct RunReport: Codable {
    struct ChainRow: Codable {
        var statistics: VideoStatistics
        var worstDeviation: Double
        var worstStatistic: String
    }

    var title: String
    var details: [String]
    var observed: VideoStatistics
    var chains: [ChainRow]
    var novelty: NoveltyReport?
    var secondsPerIteration: Double?
    var totalSeconds: Double?

    init(title: String, details: [String], observed: Video, synthesized: [Video],
         secondsPerIteration: Double? = nil, totalSeconds: Double? = nil) {
        self.title = title
        self.details = details
        self.observed = VideoStatistics(observed)
        let reference = self.observed
        chains = synthesized.map { video in
            let statistics = VideoStatistics(video)
            let deviations = statistics.deviations(from: reference)
            let worst = deviations.max { $0.1 < $1.1 } ?? ("", 0)
            return ChainRow(statistics: statistics, worstDeviation: worst.1, worstStatistic: worst.0)
        }
        let comparable = synthesized.filter {
            $0.channels == observed.channels && $0.width == observed.width && $0.height == observed.height
        }
        novelty = comparable.isEmpty ? nil : NoveltyReport(chains: comparable, observed: observed)
        self.secondsPerIteration = secondsPerIteration
        self.totalSeconds = totalSeconds
    }

    /// The largest relative deviation of any statistic of any chain.
    var worstDeviation: Double { chains.map(\.worstDeviation).max() ?? 0 }

    var markdown: String {
        var lines = ["# \(title)", ""]
        lines += details.map { "- \($0)" }
        if let secondsPerIteration, let totalSeconds {
            lines.append(String(format: "- time: %.2f s per iteration, %@ in all", secondsPerIteration, Console.duration(totalSeconds)))
        }
        lines += ["", "## Statistics", "",
                  "Display values (0–255, clipped after adding back the training mean), over the whole video. "
                      + "Deviation = |chain − observed| / observed.", ""]
        var header = "| statistic | observed |"
        var rule = "|---|---:|"
        for i in chains.indices {
            header += " chain \(i + 1) | dev. |"
            rule += "---:|---:|"
        }
        lines += [header, rule]
        let names = observed.namedValues
        for (k, (name, value)) in names.enumerated() {
            var row = String(format: "| %@ | %.2f |", name, value)
            for chain in chains {
                let mine = chain.statistics.namedValues[k].1
                row += String(format: " %.2f | %.0f%% |", mine, 100 * abs(mine - value) / max(abs(value), 1e-9))
            }
            lines.append(row)
        }
        lines.append("")
        lines.append(String(format: "Worst deviation: **%.0f%%** (%@).", 100 * worstDeviation,
                            chains.max { $0.worstDeviation < $1.worstDeviation }?.worstStatistic ?? "-"))
        if let novelty {
            lines += ["", "## New videos or copies of the training clip?", "",
                      String(format: "Unit: the mean absolute difference between observed frames half the clip apart = %.2f (0–255 scale). "
                             + "A chain that reproduces the training clip frame by frame has small distances in step and most "
                             + "frames nearest their own time, however good its statistics.", novelty.observedFrameDifference), "",
                      "| chain | to observed frame t | to nearest observed frame | frames nearest their own time |",
                      "|---|---:|---:|---:|"]
            for i in novelty.toObservedInStep.indices {
                lines.append(String(format: "| %d | %.2f | %.2f | %.0f%% |", i + 1, novelty.toObservedInStep[i],
                                    novelty.toNearestObservedFrame[i], 100 * novelty.inStepFraction[i]))
            }
            if let between = novelty.betweenChains {
                lines.append("")
                lines.append(String(format: "Between chains (same time): %.2f of the unit.", between))
            }
            lines += ["", "Verdict: " + verdict(novelty)]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A plain reading of the novelty numbers.
    func verdict(_ novelty: NoveltyReport) -> String {
        var parts: [String] = []
        let copies = novelty.toObservedInStep.indices.filter {
            novelty.toObservedInStep[$0] < 0.75 && novelty.inStepFraction[$0] >= 0.5
        }
        if copies.isEmpty {
            parts.append("no chain follows the training clip frame by frame")
        } else {
            parts.append("chain(s) \(copies.map { String($0 + 1) }.joined(separator: ", ")) stay close to the training clip "
                + "in step with it (a blurred copy rather than a new video)")
        }
        if let between = novelty.betweenChains {
            parts.append(between < 0.3 ? String(format: "the chains are nearly identical to each other (%.2f)", between)
                : String(format: "the chains differ from each other (%.2f)", between))
        }
        return parts.joined(separator: "; ") + "."
    }

    /// Writes summary.md and summary.json into `folder`.
    func write(to folder: String) throws {
        try AtomicFile.write(Array(markdown.utf8), to: folder + "/summary.md")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write([UInt8](try encoder.encode(self)), to: folder + "/summary.json")
    }

    /// A few lines for the terminal.
    var terminalSummary: String {
        var lines = [String(format: "worst statistic deviation: %.0f%%", 100 * worstDeviation)]
        if let novelty {
            lines.append(verdict(novelty))
        }
        return lines.joined(separator: "\n")
    }
}
