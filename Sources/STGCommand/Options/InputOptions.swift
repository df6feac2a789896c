import ArgumentParser
import STGMedia

/// How input videos are decoded: which frames, what size, what channels.
struct InputOptions: ParsableArguments {
    @Option(help: "Frame size WxH to resize to (for example 64x64).")
    var size: FrameSize?

    @Option(help: "Number of frames to use.")
    var frames: Int?

    @Option(help: "First frame to use (0-based).")
    var startFrame: Int = 0

    @Option(help: "Resample the video to this frame rate first.")
    var fps: Double?

    @Option(help: "Crop x,y,w,h in source pixels before resizing.")
    var crop: CropRect?

    @Flag(help: "Use one grey channel.")
    var grey = false

    @Option(help: "The ffmpeg executable (default: found on PATH).")
    var ffmpeg: String?

    func validate() throws {
        if let frames, frames < 1 { throw ValidationError("--frames must be ≥ 1") }
        if startFrame < 0 { throw ValidationError("--start-frame must be ≥ 0") }
        if let fps, !(fps > 0) { throw ValidationError("--fps must be positive") }
    }

    var request: VideoRequest {
        var request = VideoRequest(startFrame: startFrame, frames: frames, size: size)
        request.framesPerSecond = fps
        request.crop = crop
        request.channels = grey ? 1 : nil
        request.ffmpegPath = ffmpeg
        return request
    }
}

extension FrameSize: ExpressibleByArgument {
    public init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else {
            return nil
        }
        self.init(width: width, height: height)
    }
}

extension CropRect: ExpressibleByArgument {
    public init?(argument: String) {
        let parts = argument.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, parts[0] >= 0, parts[1] >= 0, parts[2] > 0, parts[3] > 0 else { return nil }
        self.init(x: parts[0], y: parts[1], width: parts[2], height: parts[3])
    }
}

import Foundation
