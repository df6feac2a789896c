import ArgumentParser
import Foundation
import STGConvNet
import STGMedia
import STGTensor

/// `stgconvnet demo`: the whole loop on a built-in procedural texture, no files needed.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Learn from a built-in dynamic texture (water ripples) and synthesize it: the whole loop in minutes.",
        discussion: """
            Generates a \(DemoCommand.defaultSize)×\(DemoCommand.defaultSize) ripple texture of \(DemoCommand.defaultFrames) \
            frames in the program, learns the st preset from it (at a random cyclic shift of the periodic clip each \
            iteration, so that the chains become new videos rather than copies), writes the same outputs as train, then \
            samples a video twice as long from the learned model (st is fully convolutional).
            """)

    static let defaultSize = 48
    static let defaultFrames = 16

    @Option(help: "Output folder.")
    var out: String = "demo-output"

    @Option(help: "Learning iterations.")
    var iterations: Int = 300

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(inversion: .prefixedNo, help: "Learn from the ripples at a random cyclic shift each iteration (new videos rather than copies).")
    var shift = true

    @Option(help: "Where chains start: zero (the training mean) or noise.")
    var chainStart: ChainStart = .zero

    func validate() throws {
        if iterations < 1 { throw ValidationError("--iterations must be ≥ 1") }
    }

    func run() throws {
        if let threads { Parallel.threads = threads }
        let video = ProceduralTexture.ripples(frames: Self.defaultFrames, height: Self.defaultSize, width: Self.defaultSize)
        var options = TrainingOptions()
        options.iterations = iterations
        options.seed = seed
        options.shiftObserved = shift
        options.chainStart = chainStart
        let spec = Preset.st.spec
        Console.line("demo: learning '\(spec.name)' from built-in water ripples (\(video.shape)) for \(iterations) iterations")
        let trainer = try Trainer(videos: [video], spec: spec, options: options)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let clock = ContinuousClock.now
        let session = TrainingSession(trainer: trainer, folder: out, checkpointEvery: 100, metadata: [
            "inputs": "built-in ripples", "network": spec.name, "frame_rate": "12",
        ])
        try session.run()
        let seconds = (ContinuousClock.now - clock).seconds
        let output = try OutputOptions.parse(["--out", out])
        try ResultWriter.writeTrainingResults(
            trainer: trainer, folder: out, output: output, ffmpegPath: nil, frameRate: 12,
            title: "STGConvNet demo: water ripples", details: ["input: built-in procedural ripples"],
            secondsPerIteration: seconds / Double(iterations), totalSeconds: seconds)

        // A longer video from the same model: st is fully convolutional. (Not larger frames: learned
        // at 48×48, the top layer's 2×2 units all touch the frame's border, and a larger sample shows
        // that as contrast tied to positions.)
        var sampling = SamplingOptions()
        sampling.chains = 1
        sampling.steps = 300
        sampling.seed = seed
        let longer = VideoShape(channels: 3, frames: 2 * Self.defaultFrames, height: Self.defaultSize, width: Self.defaultSize)
        Console.line("demo: sampling a longer video (\(longer)) from the learned model")
        let progress = ProgressReporter(total: sampling.steps, label: "step")
        var sample = try Synthesis.sample(from: trainer.state, shape: longer, options: sampling) { progress.update($0) }[0]
        progress.finish()
        sample.frameRate = 12
        var writer = try OutputWriter(folder: out)
        try writer.write(sample, name: "sample_longer", frames: false)
        Console.line(String(format: "demo finished in %@; open %@/observed_vs_synthesized.gif", Console.duration((ContinuousClock.now - clock).seconds), out))
    }
}
