// The native codecs' entry points. Implementations live in PNG*.swift, GIF*.swift and
// MATFile*.swift; these signatures are the contract other files build on.

/// Bounds on what a decoder will allocate for one file, so a small corrupt or hostile file
/// cannot claim gigabytes. Exceeding a limit throws `MediaError`.
public struct DecodeLimits: Sendable, Equatable {
    /// Most pixels in one image or GIF canvas (default 2^28, e.g. 16384 × 16384).
    public var maxPixels: Int
    /// Most bytes of decoded output for one file, all frames together (default 4 GiB).
    public var maxOutputBytes: Int

    public init(maxPixels: Int = 1 << 28, maxOutputBytes: Int = 1 << 32) {
        self.maxPixels = maxPixels
        self.maxOutputBytes = maxOutputBytes
    }

    /// The default limits.
    public static let standard = DecodeLimits()
}

/// PNG (ISO/IEC 15948) decoding and encoding through the system zlib.
public enum PNG {
    /// Decodes any standard PNG (all colour types and bit depths, interlaced or not) into 8-bit
    /// channels: grey → 1, grey+alpha → 2, RGB and palette → 3, RGBA and palette with
    /// transparency → 4; 16-bit samples keep their high byte. `path` names the file in errors.
    ///
    /// A tRNS chunk adds an alpha channel (grey → 2 channels, RGB → 4) whose value is 0 where
    /// the raw sample equals the transparent colour and 255 elsewhere. Low bit depths scale to
    /// 0–255 (a 1-bit 1 becomes 255). Every chunk's CRC is checked.
    public static func decode(_ data: [UInt8], path: String) throws -> Image {
        try PNGDecoder.decode(data, path: path, limits: .standard)
    }

    /// `decode(_:path:)` with explicit allocation limits.
    public static func decode(_ data: [UInt8], path: String, limits: DecodeLimits) throws -> Image {
        try PNGDecoder.decode(data, path: path, limits: limits)
    }

    /// Encodes an 8-bit image (1–4 channels) as a non-interlaced PNG.
    public static func encode(_ image: Image) -> [UInt8] {
        PNGEncoder.encode(image)
    }
}

/// Animated GIF (GIF89a) decoding and encoding.
public enum GIF {
    /// Decodes every frame of a (possibly animated) GIF into full-canvas RGB images, applying
    /// each frame's disposal method; also returns each frame's delay in seconds.
    ///
    /// Handles global and local palettes, interlaced frames, transparency, disposal methods 0–3
    /// and frames smaller than (or offset within) the canvas. The canvas starts as the
    /// background colour of the global palette (black without one).
    public static func decode(_ data: [UInt8], path: String) throws -> (frames: [Image], delays: [Double]) {
        try GIFDecoder.decode(data, path: path, limits: .standard)
    }

    /// `decode(_:path:)` with explicit allocation limits.
    public static func decode(_ data: [UInt8], path: String, limits: DecodeLimits) throws -> (frames: [Image], delays: [Double]) {
        try GIFDecoder.decode(data, path: path, limits: limits)
    }

    /// Encodes RGB or grey frames (all the same size) as a looping animated GIF with one palette
    /// of at most 256 colours chosen for this video; `dither` applies Floyd–Steinberg error
    /// diffusion. `delay` is the time each frame shows, in seconds.
    ///
    /// With at most 256 distinct colours over all frames the palette is exactly those colours
    /// and decoding gives the input back (dithering then changes nothing); otherwise median cut
    /// picks 256. Grey (1 channel) frames become R = G = B; an alpha channel is dropped.
    public static func encode(_ frames: [Image], delay: Double, dither: Bool = false) -> [UInt8] {
        GIFEncoder.encode(frames, delay: delay, dither: dither)
    }
}
