/// Which samples of a video are occluded (missing, or to be removed by inpainting).
///
/// Layout: frames × height × width, one flag per pixel shared by all channels (the published
/// masks repeat the same flags in each channel). `true` = occluded.
public struct VideoMask: Sendable, Equatable {
    public var frames: Int
    public var height: Int
    public var width: Int
    /// frames × height × width flags, width fastest.
    public var occluded: [Bool]

    public init(frames: Int, height: Int, width: Int, occluded: [Bool]) {
        precondition(occluded.count == frames * height * width,
                     "mask \(frames)×\(height)×\(width) needs \(frames * height * width) flags, got \(occluded.count)")
        self.frames = frames
        self.height = height
        self.width = width
        self.occluded = occluded
    }

    /// A mask with nothing occluded.
    public init(frames: Int, height: Int, width: Int) {
        self.init(frames: frames, height: height, width: width,
                  occluded: [Bool](repeating: false, count: frames * height * width))
    }

    public subscript(t: Int, y: Int, x: Int) -> Bool {
        get { occluded[(t * height + y) * width + x] }
        set { occluded[(t * height + y) * width + x] = newValue }
    }

    /// Number of occluded pixels.
    public var occludedCount: Int { occluded.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Fraction of pixels occluded.
    public var occludedFraction: Double { occluded.isEmpty ? 0 : Double(occludedCount) / Double(occluded.count) }
}
