import Foundation
import STGConvNet
import STGMedia

/// Writes result videos into an output folder: PNG frames, an animated GIF and (with ffmpeg) an
/// .mp4 per video, and side-by-side panels. Files are written atomically by `VideoOutput`.
struct OutputWriter {
    let folder: String
    private var output: VideoOutput
    private var panels: VideoOutput

    init(folder: String, mapping: DisplayMapping = .clip, dither: Bool = false, ffmpegPath: String? = nil) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw MediaError(folder, "cannot create the output folder (\(error.localizedDescription))")
        }
        output = VideoOutput(formats: [.frames, .gif, .mp4], mapping: mapping, ffmpegPath: ffmpegPath)
        // Panels: one GIF and one mp4, no frame folder.
        panels = VideoOutput(formats: [.gif, .mp4], mapping: mapping, ffmpegPath: ffmpegPath)
    }

    /// Everything written, and what was skipped (each said once).
    var warnings: [String] { Array(Set(output.report.warnings + panels.report.warnings)).sorted() }
    var written: [String] { output.report.written + panels.report.written }

    /// Writes `video` as `name/` (PNG frames, when `frames`), `name.gif` and `name.mp4`.
    mutating func write(_ video: Video, name: String, frames: Bool = true) throws {
        let saved = output.formats
        if !frames { output.formats.remove(.frames) }
        defer { output.formats = saved }
        try output.write(video, to: folder + "/" + name)
    }

    /// Writes videos side by side, with a caption over each, as `name.gif` and `name.mp4`.
    mutating func writePanel(_ videos: [Video], captions: [String], name: String) throws {
        let panel = Panel.sideBySide(videos, captions: captions)
        try panels.write(panel, to: folder + "/" + name)
    }
}
