/// One 8-bit image with interleaved channels, as codecs read and write it.
///
/// Layout: height × width × channels, row-major (channels fastest). Channels: 1 grey, 2 grey +
/// alpha, 3 RGB, 4 RGBA.
public struct Image: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    /// height × width × channels bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && (1...4).contains(channels),
                     "invalid image size \(width)×\(height)×\(channels)")
        precondition(pixels.count == width * height * channels,
                     "image \(width)×\(height)×\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}
