/// What part of a video to decode, and in what form.
public struct VideoRequest: Sendable, Equatable {
    /// First frame to keep (0-based, after frame-rate resampling).
    public var startFrame: Int = 0
    /// Number of frames to keep; nil keeps all. Fewer available frames is an error.
    public var frames: Int? = nil
    /// Output frame size (width, height); nil keeps the source size (after cropping).
    public var size: FrameSize? = nil
    /// Resample to this frame rate; nil keeps the source rate.
    public var framesPerSecond: Double? = nil
    /// Crop rectangle in source pixels, applied before resizing.
    public var crop: CropRect? = nil
    /// Channels of the result: nil keeps the source's (grey stays grey, colour becomes RGB).
    public var channels: Int? = nil
    /// The ffmpeg executable; nil searches PATH.
    public var ffmpegPath: String? = nil

    public init(startFrame: Int = 0, frames: Int? = nil, size: FrameSize? = nil) {
        self.startFrame = startFrame
        self.frames = frames
        self.size = size
    }
}

/// A frame size in pixels.
public struct FrameSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)x\(height)" }
}

/// A rectangle in pixels: origin (x, y) at the top left, then width and height.
public struct CropRect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
