/// What a probe found out about a video without decoding it: size, length, rate.
public struct VideoInfo: Sendable, Equatable, CustomStringConvertible {
    /// Frame width and height in pixels (stored pixels: a non-square sample aspect ratio is not
    /// applied).
    public var size: FrameSize
    /// Number of frames. Containers state it in their index (which can be off by one from what
    /// decodes, see `frameCountIsExact`) or it is estimated as duration × frame rate.
    public var frameCount: Int
    /// True when `frameCount` comes from counting frames (folders, GIFs) rather than a
    /// container's index or an estimate.
    public var frameCountIsExact: Bool
    /// Frames per second, when the source says.
    public var frameRate: Double?
    /// Channels a plain load gives: 1 for grey sources, else 3.
    public var channels: Int
    /// Codec or format name (`h264`, `png`, `gif`, …).
    public var codec: String

    public init(size: FrameSize, frameCount: Int, frameCountIsExact: Bool, frameRate: Double?, channels: Int, codec: String) {
        self.size = size
        self.frameCount = frameCount
        self.frameCountIsExact = frameCountIsExact
        self.frameRate = frameRate
        self.channels = channels
        self.codec = codec
    }

    public var description: String {
        let rate = frameRate.map { " at \(($0 * 1000).rounded() / 1000) fps" } ?? ""
        return "\(size), \(frameCountIsExact ? "" : "about ")\(frameCount) frames\(rate), \(channels == 1 ? "grey" : "colour") \(codec)"
    }
}
