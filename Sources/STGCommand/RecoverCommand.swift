import ArgumentParser
import Foundation
import STGConvNet
import STGMedia
import STGRecovery
import STGTensor

/// `stgconvnet recover`: recover occluded pixels or missing frames while learning the model.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Recover occluded pixels or missing frames of a video while learning its model.",
        discussion: """
            --mask is a generated mask (\(MaskSpec.acceptedForms)) or a mask file: a video or GIF \
            (non-black = occluded), a folder of PNG frames, or a MATLAB .mat file with a `masks` \
            variable (1 = occluded). Unless --occluded is given, VIDEO is complete: the program \
            applies the mask and VIDEO is the truth the error is measured against.
            \(RecoveryDefaults.summary)
            Example: stgconvnet recover fountain.avi --size 100x100 --frames 32 --mask pixels:0.5 --compare --out runs/fountain
            """)

    @Argument(help: "The video to recover.")
    var video: String

    @Option(help: "Mask: a generated mask spec or a mask file (see above).")
    var mask: String

    @Option(help: "The complete video, when VIDEO is already occluded.")
    var truth: String?

    @Flag(help: "VIDEO already has its occluded pixels missing (its values there are ignored).")
    var occluded = false

    @Flag(help: "Resize a mask of another size to the video's (nearest neighbour).")
    var resizeMask = false

    @Option(help: "Recovery method: \(RecoveryMethodName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: RecoveryMethodName = .stgconvnet

    @Flag(help: "Run every method on the same video and mask and print one table.")
    var compare = false

    @Option(help: "Seed of a generated mask.")
    var maskSeed: UInt64 = 1

    @OptionGroup var recovery: RecoveryOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var learning: LearningOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if output.out == nil { throw ValidationError("give --out DIR for the results") }
    }

    func run() throws {
        learning.applyThreads()
        let folder = output.out!
        let loaded = try VideoInput.load(video, request: input.request)
        let occlusion = try RecoveryInputs.mask(
            mask, for: loaded, seed: maskSeed, resize: resizeMask, request: input.request, ffmpegPath: input.ffmpeg)
        var truthVideo: Video? = occluded ? nil : loaded
        if let truth { truthVideo = try VideoInput.load(truth, request: input.request) }
        if let truthVideo {
            try RecoveryError.check(occlusion, fits: truthVideo, maskName: mask)
        }
        let setup = RecoverySetup(
            video: loaded, mask: occlusion, truth: truthVideo, folder: folder, output: output,
            ffmpegPath: input.ffmpeg, maskSeed: maskSeed, maskDescription: mask)
        try setup.writeInputs()
        let methods: [RecoveryMethodName] = compare ? RecoveryMethodName.allCases : [method]
        var rows: [RecoveryRow] = []
        for name in methods {
            Console.line("recovering with \(name.rawValue)")
            let clock = ContinuousClock.now
            let recovered: Video
            if name == .stgconvnet {
                let spec = try network.resolve(default: RecoveryDefaults.preset)
                let options = learning.trainingOptions(defaultIterations: RecoveryDefaults.iterations)
                recovered = try setup.learnAndRecover(spec: spec, options: options, recovery: recovery)
            } else {
                recovered = name.baseline!.method.recover(setup.occludedInput, mask: occlusion)
            }
            let seconds = (ContinuousClock.now - clock).seconds
            let metrics = truthVideo.map { RecoveryMetrics(recovered: recovered, truth: $0, mask: occlusion) }
            rows.append(RecoveryRow(method: name.rawValue, metrics: metrics, seconds: seconds))
            try setup.writeResult(recovered, method: name.rawValue, suffix: methods.count > 1)
            if let metrics {
                Console.line(String(format: "%@: error %.2f (mean absolute, 0–255, occluded pixels), PSNR %.2f dB, %@",
                                    name.rawValue, metrics.meanAbsoluteError, metrics.peakSignalToNoiseRatio,
                                    Console.duration(seconds)))
            }
        }
        try RecoveryRow.writeTable(rows, mask: mask, occludedFraction: occlusion.occludedFraction, to: folder)
        if rows.count > 1 || truthVideo != nil { Console.line(RecoveryRow.table(rows)) }
        for warning in setup.warnings { Console.error("note: \(warning)") }
        Console.line("results in \(folder)")
    }
}

/// The recovery methods, STGConvNet and the baselines the paper compares with.
enum RecoveryMethodName: String, CaseIterable, ExpressibleByArgument {
    case stgconvnet
    case interpTemporal = "interp-temporal"
    case interpSpatial = "interp-spatial"
    case mrfL1 = "mrf-l1"
    case mrfL2 = "mrf-l2"

    var baseline: Baseline? { self == .stgconvnet ? nil : try? Baseline(parsing: rawValue) }
}

