import Foundation
import STGConvNet
import STGMedia

/// The outputs every learning command writes at the end of a run.
enum ResultWriter {
    /// Writes the synthesized chains, the observed video, the observed | synthesized panel, a
    /// contact sheet and the summary for a finished training run, and prints where they are.
    static func writeTrainingResults(
        trainer: Trainer, folder: String, output: OutputOptions, ffmpegPath: String?, frameRate: Double?,
        title: String, details: [String], secondsPerIteration: Double?, totalSeconds: Double?
    ) throws {
        var writer = try OutputWriter(folder: folder, mapping: output.display, dither: output.dither, ffmpegPath: ffmpegPath)
        var synthesized = trainer.synthesizedVideos
        var observed = trainer.recoveredVideos
        for i in synthesized.indices { synthesized[i].frameRate = frameRate }
        for i in observed.indices { observed[i].frameRate = frameRate }
        for (i, video) in synthesized.enumerated() {
            try writer.write(video, name: "synthesized_\(i + 1)")
        }
        try writer.write(observed[0], name: "observed", frames: false)
        // "synthesized N" where it fits on one line over the video, "chain N" on small frames.
        let label = observed[0].width >= "synthesized 1".count * BitmapFont.advance ? "synthesized" : "chain"
        try writer.writePanel([observed[0]] + synthesized,
                              captions: ["observed"] + synthesized.indices.map { "\(label) \($0 + 1)" },
                              name: "observed_vs_synthesized")
        let report = RunReport(
            title: title,
            details: details + [
                "network: \(trainer.state.net.spec.name), \(trainer.state.net.inputShape)",
                "iterations: \(trainer.state.iteration), chains: \(trainer.state.options.chains), "
                    + "Langevin steps: \(trainer.state.options.langevinSteps), δ \(trainer.state.options.stepSize), "
                    + "σ \(trainer.state.options.sigma), lr \(trainer.state.options.learningRate), seed \(trainer.state.options.seed)",
            ],
            observed: observed[0], synthesized: synthesized, secondsPerIteration: secondsPerIteration,
            totalSeconds: totalSeconds)
        try report.write(to: folder)
        Console.line(report.terminalSummary)
        for warning in writer.warnings { Console.error("note: \(warning)") }
        Console.line("results in \(folder): summary.md, observed_vs_synthesized.gif, synthesized_*.gif, checkpoint.stgc")
    }
}
