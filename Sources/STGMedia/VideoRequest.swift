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
    /// How frames are resized to `size`: natively decoded frames (PNG folders, GIFs) use
    /// `Resize.video` with this method; ffmpeg uses its matching scaler (`bilinear`, `area`,
    /// `neighbor`).
    public var resizeMethod: ResizeMethod = .bilinear
    /// Crop rectangle in source pixels, applied before resizing.
    public var crop: CropRect? = nil
    /// Channels of the result: nil keeps the source's (grey stays grey, colour becomes RGB).
    public var channels: Int? = nil
    /// The ffmpeg executable; nil searches PATH.
    public var ffmpegPath: String? = nil

    public init(startFrame: Int = 0, frames: Int? = nil, size: FrameSize? = nil, framesPerSecond: Double? = nil,
                crop: CropRect? = nil, channels: Int? = nil, ffmpegPath: String? = nil,
                resizeMethod: ResizeMethod = .bilinear) {
        self.startFrame = startFrame
        self.frames = frames
        self.size = size
        self.framesPerSecond = framesPerSecond
        self.crop = crop
        self.channels = channels
        self.ffmpegPath = ffmpegPath
        self.resizeMethod = resizeMethod
    }

    /// Throws a `MediaError` naming `path` when a field is out of range (negative start, zero
    /// frames or size, channels other than 1 or 3, …).
    public func validate(for path: String) throws {
        var problems: [String] = []
        if startFrame < 0 { problems.append("start frame \(startFrame) is negative") }
        if let frames, frames <= 0 { problems.append("frame count \(frames) is not positive") }
        if let size, size.width <= 0 || size.height <= 0 { problems.append("size \(size) is empty") }
        if let fps = framesPerSecond, !(fps > 0 && fps.isFinite) { problems.append("frame rate \(fps) is not positive") }
        if let crop, crop.x < 0 || crop.y < 0 || crop.width <= 0 || crop.height <= 0 {
            problems.append("crop \(crop) is empty or starts at a negative position")
        }
        if let channels, channels != 1 && channels != 3 { problems.append("channels must be 1 or 3, not \(channels)") }
        if !problems.isEmpty { throw MediaError(path, "invalid video request: " + problems.joined(separator: "; ")) }
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
public struct CropRect: Hashable, Sendable, CustomStringConvertible {
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
    /// `x,y,width,height`.
    public var description: String { "\(x),\(y),\(width),\(height)" }
}
