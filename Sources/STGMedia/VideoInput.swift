import Foundation

/// The single input seam for videos: every command and library caller loads videos here.
///
/// `path` may be a folder of PNG frames (sorted by name), an animated GIF, or any container
/// ffmpeg reads (later). The request selects frames, size and channels.
public enum VideoInput {
    /// Loads one video.
    public static func load(_ path: String, request: VideoRequest = VideoRequest()) throws -> Video {
        throw MediaError(path, "video input is not implemented yet")
    }
}
