// The native codecs' entry points. Implementations live in PNG*.swift, GIF*.swift and
// MATFile*.swift; these signatures are the contract other files build on.

/// PNG (ISO/IEC 15948) decoding and encoding through the system zlib.
public enum PNG {
    /// Decodes any standard PNG (all colour types and bit depths, interlaced or not) into 8-bit
    /// channels: grey → 1, grey+alpha → 2, RGB and palette → 3, RGBA and palette with
    /// transparency → 4; 16-bit samples keep their high byte. `path` names the file in errors.
    public static func decode(_ data: [UInt8], path: String) throws -> Image {
        throw MediaError(path, "PNG decoding is not implemented yet")
    }

    /// Encodes an 8-bit image (1–4 channels) as a non-interlaced PNG.
    public static func encode(_ image: Image) -> [UInt8] {
        preconditionFailure("PNG encoding is not implemented yet")
    }
}

/// Animated GIF (GIF89a) decoding and encoding.
public enum GIF {
    /// Decodes every frame of a (possibly animated) GIF into full-canvas RGB images, applying
    /// each frame's disposal method; also returns each frame's delay in seconds.
    public static func decode(_ data: [UInt8], path: String) throws -> (frames: [Image], delays: [Double]) {
        throw MediaError(path, "GIF decoding is not implemented yet")
    }

    /// Encodes RGB or grey frames (all the same size) as a looping animated GIF with one palette
    /// of at most 256 colours chosen for this video; `dither` applies Floyd–Steinberg error
    /// diffusion. `delay` is the time each frame shows, in seconds.
    public static func encode(_ frames: [Image], delay: Double, dither: Bool = false) -> [UInt8] {
        preconditionFailure("GIF encoding is not implemented yet")
    }
}
