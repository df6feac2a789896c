import ArgumentParser
import Foundation
import STGConvNet
import STGMedia

/// `stgconvnet train`: learn a model from videos, synthesize, and report.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Learn a model from one or several videos and synthesize new ones.",
        discussion: """
            INPUT is a folder of PNG frames, an animated GIF, or a video file ffmpeg reads; several \
            inputs learn one model from several videos (resized to one --size). Writes to --out: the \
            synthesized chains (PNG frames, GIF, mp4), observed_vs_synthesized.gif, log.jsonl, \
            checkpoint.stgc (every --checkpoint-every iterations and at the end) and summary.md.
            Example: stgconvnet train frames/ --preset fcs --size 64x64 --frames 16 --iterations 300 --out runs/fire
            """)

    @Argument(help: "Training videos (omit with --resume).")
    var inputs: [String] = []

    @OptionGroup var network: NetworkOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var learning: LearningOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Save a checkpoint every K iterations (and always at the end).")
    var checkpointEvery: Int = 50

    @Option(help: "Continue the run saved in this output folder (its checkpoint.stgc); --iterations may raise the total.")
    var resume: String?

    func validate() throws {
        if resume == nil && inputs.isEmpty { throw ValidationError("give at least one INPUT video, or --resume DIR") }
        if resume != nil && !inputs.isEmpty { throw ValidationError("--resume continues a saved run: give no INPUT") }
        if resume == nil && output.out == nil { throw ValidationError("give --out DIR for the results") }
        if checkpointEvery < 0 { throw ValidationError("--checkpoint-every must be ≥ 0") }
    }

    func run() throws {
        learning.applyThreads()
        let trainer: Trainer
        let folder: String
        var metadata: [String: String]
        if let resume {
            folder = output.out ?? resume
            let (state, saved) = try Checkpoint.read(resume + "/" + Checkpoint.fileName)
            var state2 = state
            if let iterations = learning.iterations { state2.options.iterations = iterations }
            trainer = try Trainer(state: state2)
            metadata = saved
            Console.line("resuming \(resume) at iteration \(state.iteration) of \(state2.options.iterations)")
        } else {
            folder = output.out!
            let videos = try inputs.map { try VideoInput.load($0, request: input.request) }
            let spec = try network.resolve(default: .st)
            let options = learning.trainingOptions(defaultIterations: 1000)
            trainer = try Trainer(videos: videos, spec: spec, options: options)
            metadata = ["inputs": inputs.joined(separator: "\n"), "network": spec.name,
                        "frame_rate": videos[0].frameRate.map { String($0) } ?? ""]
            let shape = videos[0].shape
            Console.line("training '\(spec.name)' on \(videos.count) video(s) of \(shape) for \(options.iterations) iterations")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let clock = ContinuousClock.now
        let startIteration = trainer.state.iteration
        let session = TrainingSession(trainer: trainer, folder: folder, checkpointEvery: checkpointEvery, metadata: metadata)
        try session.run()
        let seconds = (ContinuousClock.now - clock).seconds
        let done = trainer.state.iteration - startIteration
        try ResultWriter.writeTrainingResults(
            trainer: trainer, folder: folder, output: output, ffmpegPath: input.ffmpeg,
            frameRate: Double(metadata["frame_rate"] ?? ""),
            title: "STGConvNet training: \(trainer.state.net.spec.name)",
            details: ["inputs: \((metadata["inputs"] ?? "").replacingOccurrences(of: "\n", with: ", "))"],
            secondsPerIteration: done > 0 ? seconds / Double(done) : nil, totalSeconds: seconds)
    }
}
