/// The shape of a batch of videos: videos × channels × frames × height × width.
///
/// Layout is row-major in that order (NCTHW, as PyTorch's `conv3d`): width is contiguous, then
/// height, then frames (time is the outermost spatial axis), then channels, then videos.
public struct TensorShape: Hashable, Sendable, Codable, CustomStringConvertible {
    public var videos: Int
    public var channels: Int
    public var frames: Int
    public var height: Int
    public var width: Int

    public init(videos: Int, channels: Int, frames: Int, height: Int, width: Int) {
        precondition(
            videos >= 0 && channels >= 0 && frames >= 0 && height >= 0 && width >= 0,
            "negative tensor dimension in \(videos)×\(channels)×\(frames)×\(height)×\(width)")
        self.videos = videos
        self.channels = channels
        self.frames = frames
        self.height = height
        self.width = width
    }

    /// Number of elements in one video (channels × frames × height × width).
    public var videoCount: Int { channels * frames * height * width }
    /// Number of elements in one frame plane of one channel (height × width).
    public var planeCount: Int { height * width }
    /// Number of elements in one channel of one video (frames × height × width).
    public var volumeCount: Int { frames * height * width }
    /// Total number of elements.
    public var count: Int { videos * videoCount }

    /// The same shape with another number of videos.
    public func with(videos: Int) -> TensorShape {
        TensorShape(videos: videos, channels: channels, frames: frames, height: height, width: width)
    }

    /// Flat index of element (n, c, t, y, x).
    @inlinable
    public func index(_ n: Int, _ c: Int, _ t: Int, _ y: Int, _ x: Int) -> Int {
        (((n * channels + c) * frames + t) * height + y) * width + x
    }

    public var description: String { "\(videos)×\(channels)×\(frames)×\(height)×\(width)" }
}
