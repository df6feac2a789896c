import Foundation

/// Where the ffmpeg and ffprobe executables are.
///
/// ffmpeg is optional: PNG frame folders, GIFs and MAT files never need it. Everything else
/// (containers such as .avi .mp4 .mov .webm, JPEG frame folders, .mp4 output) runs it as a child
/// process through `ChildProcess`.
public enum FFmpeg {
    /// The ffmpeg executable: `explicit` when given and executable, else the first `ffmpeg` on
    /// PATH; nil when there is none.
    public static func locate(_ explicit: String? = nil) -> String? {
        if let explicit {
            return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        return searchPath(for: "ffmpeg")
    }

    /// Like `locate`, but a missing executable is a `MediaError` naming it and saying what needed it.
    static func require(_ explicit: String?, for input: String) throws -> String {
        if let found = locate(explicit) { return found }
        if let explicit {
            throw MediaError(explicit, "ffmpeg executable not found or not executable (needed to read or write \(input))")
        }
        throw MediaError("ffmpeg", "not found on PATH (needed to read or write \(input)); install ffmpeg or give its path")
    }

    /// ffprobe beside `ffmpeg` (same folder), else on PATH; nil when there is none.
    static func probeExecutable(besides ffmpeg: String) -> String? {
        let sibling = (ffmpeg as NSString).deletingLastPathComponent + "/ffprobe"
        if ffmpeg.contains("/"), FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        return searchPath(for: "ffprobe")
    }

    /// The first executable `name` in the folders of PATH.
    package static func searchPath(for name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
