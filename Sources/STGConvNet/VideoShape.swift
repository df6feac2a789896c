/// The size of one video the model takes: channels × frames × height × width.
public struct VideoShape: Hashable, Sendable, Codable, CustomStringConvertible {
    public var channels: Int
    public var frames: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, frames: Int, height: Int, width: Int) {
        self.channels = channels
        self.frames = frames
        self.height = height
        self.width = width
    }

    /// Values in one video.
    public var count: Int { channels * frames * height * width }

    public var description: String { "\(channels) channel(s), \(frames) frames of \(width)x\(height)" }
}
