import ArgumentParser
import Foundation
import STGConvNet
import STGMedia
import STGRecovery

/// `stgconvnet inpaint`: remove a masked moving object by filling it with the learned background.
struct InpaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inpaint",
        abstract: "Remove a masked moving object by filling its mask with the learned dynamic background.",
        discussion: """
            MASK marks the object to remove: a video or GIF (non-black = object; lossy videos are \
            thresholded at 128), a folder of PNG frames, or a MATLAB .mat file with a `masks` variable.
            \(RecoveryDefaults.summary)
            Example: stgconvnet inpaint boats_input.mp4 --mask boats_mask.mp4 --size 128x128 --dilate 2 --out runs/boats
            """)

    @Argument(help: "The video.")
    var video: String

    @Option(help: "The mask of the object to remove (see above).")
    var mask: String

    @Option(help: "Grow the mask by N pixels in every frame.")
    var dilate: Int = 0

    @Flag(help: "Resize a mask of another size to the video's (nearest neighbour).")
    var resizeMask = false

    @Option(help: "Method: \(RecoveryMethodName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: RecoveryMethodName = .stgconvnet

    @OptionGroup var recovery: RecoveryOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var learning: LearningOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if output.out == nil { throw ValidationError("give --out DIR for the results") }
        if dilate < 0 { throw ValidationError("--dilate must be ≥ 0") }
    }

    func run() throws {
        learning.applyThreads()
        let folder = output.out!
        let loaded = try VideoInput.load(video, request: input.request)
        guard FileManager.default.fileExists(atPath: mask) else { throw MediaError(mask, "no such mask file or folder") }
        let objectMask = try MaskInput.load(
            mask, frames: loaded.frames, size: FrameSize(width: loaded.width, height: loaded.height), resize: resizeMask,
            startFrame: input.request.startFrame, ffmpegPath: input.ffmpeg
        ).dilated(by: dilate)
        let setup = RecoverySetup(
            video: loaded, mask: objectMask, truth: nil, folder: folder, output: output, ffmpegPath: input.ffmpeg,
            maskSeed: 0, maskDescription: mask + (dilate > 0 ? " dilated by \(dilate)" : ""))
        try setup.writeInputs()
        Console.line(String(format: "inpainting %.1f%% of the pixels with %@", 100 * objectMask.occludedFraction, method.rawValue))
        let inpainted: Video
        if method == .stgconvnet {
            let spec = try network.resolve(default: RecoveryDefaults.preset)
            let options = learning.trainingOptions(defaultIterations: RecoveryDefaults.iterations)
            inpainted = try setup.learnAndRecover(spec: spec, options: options, recovery: recovery)
        } else {
            inpainted = method.baseline!.method.recover(setup.occludedInput, mask: objectMask)
        }
        var writer = try OutputWriter(folder: folder, mapping: output.display, dither: output.dither, ffmpegPath: input.ffmpeg)
        try writer.write(inpainted, name: "inpainted")
        try writer.writePanel([loaded, setup.occludedInput, inpainted], captions: ["original", "masked", "inpainted"], name: "panel")
        for warning in writer.warnings { Console.error("note: \(warning)") }
        Console.line("results in \(folder): panel.gif, inpainted.gif")
    }
}
