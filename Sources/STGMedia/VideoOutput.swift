import Foundation

/// File formats a video can be written in.
public enum OutputFormat: String, Sendable, CaseIterable, Hashable {
    /// A folder of PNG frames `000.png`, `001.png`, … (more digits past 1000 frames).
    case frames
    /// An animated, looping GIF with one palette for the whole video.
    case gif
    /// H.264 (yuv420p) in MP4, encoded by ffmpeg; odd sizes padded by one black row or column.
    case mp4
}

/// What a `VideoOutput` wrote, and what it could not write (for the caller to print).
public struct OutputReport: Sendable, Equatable {
    /// Paths written, in order.
    public var written: [String] = []
    /// Things skipped, each said once (for example: ffmpeg missing, so no .mp4 files).
    public var warnings: [String] = []
    public init() {}
}

/// Writes videos as PNG frame folders, GIFs and MP4s, atomically, collecting a report.
///
/// Samples become bytes through `mapping`. When ffmpeg is missing, MP4s are skipped and one
/// warning says so, however many videos are written.
///
/// ```
/// var output = VideoOutput(formats: [.frames, .gif, .mp4])
/// try output.write(video, to: "out/synthesis_0")   // out/synthesis_0/, .gif, .mp4
/// output.report.warnings.forEach { print($0) }
/// ```
public struct VideoOutput: Sendable {
    public var formats: Set<OutputFormat>
    public var mapping: DisplayMapping
    /// Frames per second for GIF and MP4; nil uses the video's own rate, else 25.
    public var frameRate: Double?
    /// The ffmpeg executable; nil searches PATH.
    public var ffmpegPath: String?
    /// Floyd–Steinberg dithering in GIFs (helps smooth gradients when a video has more than 256
    /// colours).
    public var dither: Bool
    /// Everything written and skipped so far.
    public private(set) var report = OutputReport()
    private var warnedNoFFmpeg = false

    public init(formats: Set<OutputFormat> = [.frames, .gif], mapping: DisplayMapping = .clip,
                frameRate: Double? = nil, ffmpegPath: String? = nil, dither: Bool = false) {
        self.formats = formats
        self.dither = dither
        self.mapping = mapping
        self.frameRate = frameRate
        self.ffmpegPath = ffmpegPath
    }

    /// Writes `video` in every chosen format: `base/` (frames), `base.gif`, `base.mp4`. Parent
    /// folders are created.
    public mutating func write(_ video: Video, to base: String) throws {
        let parent = (base as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw MediaError(parent, "cannot create the output folder (\(error.localizedDescription))")
            }
        }
        let rate = frameRate ?? video.frameRate ?? 25
        if formats.contains(.frames) {
            try Self.writeFrames(video, to: base, mapping: mapping)
            report.written.append(base)
        }
        if formats.contains(.gif) {
            try Self.writeGIF(video, to: base + ".gif", mapping: mapping, frameRate: rate, dither: dither)
            report.written.append(base + ".gif")
        }
        if formats.contains(.mp4) {
            if let ffmpeg = FFmpeg.locate(ffmpegPath) {
                try Self.writeMP4(video, to: base + ".mp4", mapping: mapping, frameRate: rate, ffmpeg: ffmpeg)
                report.written.append(base + ".mp4")
            } else if !warnedNoFFmpeg {
                warnedNoFFmpeg = true
                report.warnings.append("\(ffmpegPath ?? "ffmpeg") not found: .mp4 files are skipped (install ffmpeg or give its path)")
            }
        }
    }

    /// Frame file name: `000.png`, with at least 3 digits and as many as the last index needs.
    public static func frameName(_ t: Int, of frames: Int) -> String {
        let digits = max(3, String(max(frames - 1, 0)).count)
        let number = String(t)
        return String(repeating: "0", count: max(0, digits - number.count)) + number + ".png"
    }

    /// Writes a folder of PNG frames (replacing any folder there) through a temporary folder.
    public static func writeFrames(_ video: Video, to folder: String, mapping: DisplayMapping = .clip) throws {
        // Frames are encoded on all cores, then written in order.
        let encoded = ResultSlots<[UInt8]>(count: video.frames)
        DispatchQueue.concurrentPerform(iterations: video.frames) { t in
            encoded.set(t, .success(PNG.encode(video.image(frame: t, mapping: mapping))))
        }
        let files = try encoded.values()
        try AtomicFile.writeFolder(at: folder) { temporary in
            for (t, bytes) in files.enumerated() {
                let file = "\(temporary)/\(frameName(t, of: video.frames))"
                do {
                    try Data(bytes).write(to: URL(fileURLWithPath: file))
                } catch {
                    throw MediaError(folder, "cannot write frame \(t) (\(error.localizedDescription))")
                }
            }
        }
    }

    /// Writes an animated GIF showing each frame for 1 / `frameRate` seconds.
    public static func writeGIF(_ video: Video, to path: String, mapping: DisplayMapping = .clip,
                                frameRate: Double = 25, dither: Bool = false) throws {
        precondition(frameRate > 0, "frame rate must be positive")
        let images = (0..<video.frames).map { video.image(frame: $0, mapping: mapping) }
        try AtomicFile.write(GIF.encode(images, delay: 1 / frameRate, dither: dither), to: path)
    }

    /// Writes H.264 (yuv420p, CRF 18) MP4 through ffmpeg, which reads raw frames from a pipe and
    /// writes a temporary file that is renamed into place. Odd widths or heights get one black
    /// column or row (yuv420p needs even sizes).
    public static func writeMP4(_ video: Video, to path: String, mapping: DisplayMapping = .clip,
                                frameRate: Double = 25, ffmpeg: String) throws {
        precondition(frameRate > 0, "frame rate must be positive")
        precondition(video.frames > 0, "cannot write a video with no frames")
        let temporary = AtomicFile.temporaryPath(for: path)
        let arguments = ["-nostdin", "-hide_banner", "-v", "error", "-y",
                         "-f", "rawvideo", "-pix_fmt", video.channels == 1 ? "gray" : "rgb24",
                         "-s", "\(video.width)x\(video.height)", "-framerate", "\(frameRate)", "-i", "-",
                         "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
                         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", "-preset", "medium",
                         "-movflags", "+faststart", "-f", "mp4", FFmpegDecoder.inputName(temporary)]
        let child = try ChildProcess(executable: ffmpeg, arguments: arguments, subject: path, withInput: true)
        do {
            do {
                for t in 0..<video.frames {
                    try child.write(video.image(frame: t, mapping: mapping).pixels)
                }
            } catch {
                // ffmpeg stopped reading: its exit status and last message explain why.
                try child.finish()
                throw error
            }
            try child.finish()
        } catch {
            // ffmpeg's own exit status and message explain a broken pipe best.
            try? child.finish()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        try AtomicFile.commit(temporary, to: path)
    }
}
