import ArgumentParser
import Foundation
import STGConvNet
import STGMedia
import STGTensor

/// `stgconvnet sample`: new videos from a saved model.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Synthesize new videos from a saved model, of any length (and any size for fully convolutional models).")

    @Argument(help: "A checkpoint file, or a training output folder holding checkpoint.stgc.")
    var checkpoint: String

    @Option(help: "Number of videos.")
    var chains: Int = 3

    @Option(help: "Frames per video (default: the training length).")
    var frames: Int?

    @Option(help: "Frame size WxH (default: the training size; other sizes need a fully convolutional model such as st).")
    var size: FrameSize?

    @Option(help: "Langevin steps.")
    var steps: Int = 400

    @Option(help: "Where chains start: zero, noise, or chains (continue the saved chains; training size only).")
    var start: SampleStart = .zero

    @Option(help: "Langevin step size δ (default: the training value).")
    var stepSize: Float?

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @OptionGroup var output: OutputOptions

    @Option(help: "The ffmpeg executable for the mp4 output (default: found on PATH).")
    var ffmpeg: String?

    func validate() throws {
        if chains < 1 { throw ValidationError("--chains must be ≥ 1") }
        if let frames, frames < 1 { throw ValidationError("--frames must be ≥ 1") }
        if steps < 0 { throw ValidationError("--steps must be ≥ 0") }
        if output.out == nil { throw ValidationError("give --out DIR for the videos") }
    }

    func run() throws {
        if let threads { Parallel.threads = threads }
        var isFolder: ObjCBool = false
        let path = FileManager.default.fileExists(atPath: checkpoint, isDirectory: &isFolder) && isFolder.boolValue
            ? checkpoint + "/" + Checkpoint.fileName : checkpoint
        let (state, metadata) = try Checkpoint.read(path)
        let trained = state.net.inputShape
        let shape = VideoShape(
            channels: trained.channels, frames: frames ?? trained.frames, height: size?.height ?? trained.height,
            width: size?.width ?? trained.width)
        var options = SamplingOptions()
        options.chains = chains
        options.steps = steps
        options.stepSize = stepSize ?? state.options.stepSize
        options.sigma = state.options.sigma
        options.seed = seed
        options.start = start
        Console.line("sampling \(chains) video(s) of \(shape) from '\(state.net.spec.name)' (iteration \(state.iteration)), \(steps) Langevin steps")
        let progress = ProgressReporter(total: steps, label: "step")
        var videos = try Synthesis.sample(from: state, shape: shape, options: options) { progress.update($0) }
        progress.finish()
        let frameRate = Double(metadata["frame_rate"] ?? "")
        var writer = try OutputWriter(folder: output.out!, mapping: output.display, dither: output.dither, ffmpegPath: ffmpeg)
        for i in videos.indices {
            videos[i].frameRate = frameRate
            try writer.write(videos[i], name: "sample_\(i + 1)")
        }
        if videos.count > 1 {
            try writer.writePanel(videos, captions: videos.indices.map { "sample \($0 + 1)" }, name: "samples")
        }
        for warning in writer.warnings { Console.error("note: \(warning)") }
        Console.line("wrote \(videos.count) video(s) to \(output.out!)")
    }
}

extension SampleStart: ExpressibleByArgument {}
