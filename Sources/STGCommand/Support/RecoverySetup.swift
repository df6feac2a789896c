import Foundation
import STGConvNet
import STGMedia
import STGRecovery

/// Reading a mask argument: a generated mask spec or a mask file.
enum RecoveryInputs {
    /// A mask file is read from the video's start frame on, so that it stays aligned with the video.
    static func mask(
        _ argument: String, for video: Video, seed: UInt64, resize: Bool, request: VideoRequest, ffmpegPath: String?
    ) throws -> VideoMask {
        if FileManager.default.fileExists(atPath: argument) {
            return try MaskInput.load(
                argument, frames: video.frames, size: FrameSize(width: video.width, height: video.height), resize: resize,
                startFrame: request.startFrame, ffmpegPath: ffmpegPath)
        }
        let spec: MaskSpec
        do {
            spec = try MaskSpec(parsing: argument)
        } catch {
            throw MediaError(argument, "no such mask file, and not a mask spec: \(error.problem)")
        }
        return spec.mask(for: video, seed: seed)
    }
}

/// One recovery problem and its output folder: the video, the mask, the truth when known.
struct RecoverySetup {
    let video: Video
    let mask: VideoMask
    let truth: Video?
    let folder: String
    let output: OutputOptions
    let ffmpegPath: String?
    let maskSeed: UInt64
    let maskDescription: String
    private var writerWarnings: [String] = []

    init(video: Video, mask: VideoMask, truth: Video?, folder: String, output: OutputOptions, ffmpegPath: String?,
         maskSeed: UInt64, maskDescription: String) {
        self.video = video
        self.mask = mask
        self.truth = truth
        self.folder = folder
        self.output = output
        self.ffmpegPath = ffmpegPath
        self.maskSeed = maskSeed
        self.maskDescription = maskDescription
    }

    /// The video as the methods see it: occluded samples set to 0 (black).
    var occludedInput: Video { Occlusion.apply(mask, to: video, fill: 0) }

    var warnings: [String] { writerWarnings }

    /// Writes the occluded input and the mask (as white-on-black frames) so a run can be repeated.
    func writeInputs() throws {
        var writer = try OutputWriter(folder: folder, mapping: output.display, dither: output.dither, ffmpegPath: ffmpegPath)
        try writer.write(occludedInput, name: "occluded", frames: false)
        var maskVideo = Video(channels: 1, frames: mask.frames, height: mask.height, width: mask.width)
        for i in mask.occluded.indices where mask.occluded[i] { maskVideo.samples[i] = 255 }
        maskVideo.frameRate = video.frameRate
        try writer.write(maskVideo, name: "mask", frames: true)
        try AtomicFile.write(Array("\(maskDescription)\nseed \(maskSeed)\n".utf8), to: folder + "/mask.txt")
    }

    /// Learns the model from the occluded video and returns its recovery (the current state of
    /// the occluded pixels after the last iteration). Logs the error per iteration when the truth is known.
    func learnAndRecover(spec: NetworkSpec, options: TrainingOptions, recovery: RecoveryOptions) throws -> Video {
        let interpolated = recovery.initialFill == .interp
        let start = interpolated ? Occlusion.initialFill(video, mask: mask, method: .temporalInterpolation) : video
        var options = options
        options.recoveryWarmup = recovery.recoveryWarmup
        let trainer = try Trainer(
            videos: [start], masks: [mask], keepOccludedValues: interpolated, spec: spec, options: options)
        // The recovered video: the mean of the last `averageLast` states of the occluded pixels.
        var sum = [Double](repeating: 0, count: video.samples.count)
        var averaged = 0
        let firstAveraged = options.iterations - recovery.averageLast + 1
        var session = TrainingSession(trainer: trainer, folder: folder, checkpointEvery: 50, metadata: [
            "inputs": "recovery", "network": spec.name, "frame_rate": video.frameRate.map { String($0) } ?? "",
        ])
        var errors: [[String: Double]] = []
        session.everyIteration = { trainer, record in
            let current = trainer.recoveredVideos[0]
            if record.iteration >= firstAveraged {
                for i in sum.indices { sum[i] += Double(current.samples[i]) }
                averaged += 1
            }
            if let truth {
                let metrics = RecoveryMetrics(recovered: current, truth: truth, mask: mask)
                errors.append(["iteration": Double(record.iteration), "mae": metrics.meanAbsoluteError,
                               "psnr": metrics.peakSignalToNoiseRatio])
                return String(format: "recovery error %.2f", metrics.meanAbsoluteError)
            }
            return nil
        }
        try session.run()
        if !errors.isEmpty {
            let lines = errors.map { e in
                String(format: "{\"iteration\":%d,\"mae\":%.4f,\"psnr\":%.4f}", Int(e["iteration"]!), e["mae"]!, e["psnr"]!)
            }
            try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: folder + "/recovery_error.jsonl")
        }
        var recovered = trainer.recoveredVideos[0]
        if averaged > 1 {
            for i in sum.indices { recovered.samples[i] = Float(sum[i] / Double(averaged)) }
        }
        // Visible samples are the data, bit for bit; recovered samples are clipped to the pixel range.
        for c in 0..<recovered.channels {
            let plane = recovered.frames * recovered.height * recovered.width
            for i in 0..<plane {
                if mask.occluded[i] {
                    recovered.samples[c * plane + i] = min(max(recovered.samples[c * plane + i], 0), 255)
                } else {
                    recovered.samples[c * plane + i] = video.samples[c * plane + i]
                }
            }
        }
        return recovered
    }

    /// Writes a recovered video and the panel occluded | recovered | truth.
    func writeResult(_ recovered: Video, method: String, suffix: Bool) throws {
        var writer = try OutputWriter(folder: folder, mapping: output.display, dither: output.dither, ffmpegPath: ffmpegPath)
        let name = suffix ? "recovered_\(method)" : "recovered"
        try writer.write(recovered, name: name)
        var videos = [occludedInput, recovered]
        var captions = ["occluded", "recovered (\(method))"]
        if let truth {
            videos.append(truth)
            captions.append("truth")
        }
        try writer.writePanel(videos, captions: captions, name: suffix ? "panel_\(method)" : "panel")
    }
}

/// One line of the recovery table.
struct RecoveryRow {
    var method: String
    var metrics: RecoveryMetrics?
    var seconds: Double

    static func table(_ rows: [RecoveryRow]) -> String {
        var lines = ["| method | error (mean abs., 0–255) | PSNR (dB) | time |", "|---|---:|---:|---:|"]
        for row in rows {
            let error = row.metrics.map { String(format: "%.2f", $0.meanAbsoluteError) } ?? "–"
            let psnr = row.metrics.map { String(format: "%.2f", $0.peakSignalToNoiseRatio) } ?? "–"
            lines.append("| \(row.method) | \(error) | \(psnr) | \(Console.duration(row.seconds)) |")
        }
        return lines.joined(separator: "\n")
    }

    static func writeTable(_ rows: [RecoveryRow], mask: String, occludedFraction: Double, to folder: String) throws {
        let text = "# Recovery\n\n- mask: \(mask) (\(String(format: "%.1f", 100 * occludedFraction))% of pixels occluded)\n"
            + "- error: mean absolute difference over occluded pixels, 0–255 scale (the paper's metric)\n\n"
            + table(rows) + "\n"
        try AtomicFile.write(Array(text.utf8), to: folder + "/recovery.md")
    }
}

