/// The frames of one video as planar Float samples on the 0–255 scale.
///
/// Layout: channels × frames × height × width, row-major (width fastest). This is one video of
/// the model's NCTHW tensor layout, so a `Video` converts to a tensor without reordering.
/// Channels are 1 (grey) or 3 (RGB).
public struct Video: Sendable, Equatable {
    public var channels: Int
    public var frames: Int
    public var height: Int
    public var width: Int
    /// channels × frames × height × width samples, 0–255 (values outside are allowed in memory
    /// and clipped when encoded).
    public var samples: [Float]
    /// Frames per second when the source said so.
    public var frameRate: Double?

    public init(channels: Int, frames: Int, height: Int, width: Int, samples: [Float], frameRate: Double? = nil) {
        precondition(channels > 0 && frames >= 0 && height > 0 && width > 0,
                     "invalid video size \(channels)×\(frames)×\(height)×\(width)")
        precondition(samples.count == channels * frames * height * width,
                     "video \(channels)×\(frames)×\(height)×\(width) needs \(channels * frames * height * width) samples, got \(samples.count)")
        self.channels = channels
        self.frames = frames
        self.height = height
        self.width = width
        self.samples = samples
        self.frameRate = frameRate
    }

    /// A black video.
    public init(channels: Int, frames: Int, height: Int, width: Int) {
        self.init(channels: channels, frames: frames, height: height, width: width,
                  samples: [Float](repeating: 0, count: channels * frames * height * width))
    }

    /// Samples in one frame plane of one channel.
    public var planeCount: Int { height * width }

    /// Sample (channel, frame, y, x).
    public subscript(c: Int, t: Int, y: Int, x: Int) -> Float {
        get { samples[((c * frames + t) * height + y) * width + x] }
        set { samples[((c * frames + t) * height + y) * width + x] = newValue }
    }

    /// Frames `range` as a new video.
    public func frames(_ range: Range<Int>) -> Video {
        precondition(range.lowerBound >= 0 && range.upperBound <= frames, "frames \(range) outside 0..<\(frames)")
        var out = Video(channels: channels, frames: range.count, height: height, width: width)
        out.frameRate = frameRate
        let plane = planeCount
        for c in 0..<channels {
            let source = (c * frames + range.lowerBound) * plane
            let target = c * range.count * plane
            out.samples.replaceSubrange(target..<target + range.count * plane,
                                        with: samples[source..<source + range.count * plane])
        }
        return out
    }

    /// Frame `t` interleaved as 8-bit pixels (height × width × channels), clipped to 0–255.
    public func interleavedFrame(_ t: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: planeCount * channels)
        let plane = planeCount
        for c in 0..<channels {
            let base = (c * frames + t) * plane
            for i in 0..<plane {
                let v = samples[base + i]
                pixels[i * channels + c] = UInt8(v.isNaN ? 0 : min(max(v.rounded(), 0), 255))
            }
        }
        return pixels
    }
}
