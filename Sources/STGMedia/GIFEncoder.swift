/// Animated GIF89a encoding: one global palette for all frames, NETSCAPE2.0 infinite loop,
/// every frame full-canvas with "do not dispose", LZW image data in 255-byte sub-blocks.
enum GIFEncoder {
    static func encode(_ frames: [Image], delay: Double, dither: Bool) -> [UInt8] {
        precondition(!frames.isEmpty, "GIF.encode needs at least one frame")
        let width = frames[0].width, height = frames[0].height
        precondition(width <= 65535 && height <= 65535, "GIF frames are at most 65535 pixels a side, got \(width)×\(height)")
        for (t, frame) in frames.enumerated() {
            precondition(frame.width == width && frame.height == height,
                         "GIF frame \(t) is \(frame.width)×\(frame.height), frame 0 is \(width)×\(height)")
        }
        let rgbFrames = frames.map(rgb)
        var palette = GIFPalette(frames: rgbFrames)
        // Table size: a power of two ≥ 2 entries; minimum code size ≥ 2.
        var bits = 1
        while 1 << bits < palette.count { bits += 1 }
        let minCodeSize = max(2, bits)
        let centiseconds = UInt16(min(max((delay * 100).rounded(), 0), 65535))

        var out: [UInt8] = Array("GIF89a".utf8)
        appendLittleEndian16(&out, width)
        appendLittleEndian16(&out, height)
        out += [0x80 | 0x70 | UInt8(bits - 1), 0, 0]  // global table, 8-bit colour resolution
        out += palette.colours
        out += [UInt8](repeating: 0, count: 3 * (1 << bits) - palette.colours.count)
        // NETSCAPE2.0 application extension: loop count 0 = forever.
        out += [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0, 0]

        for frame in rgbFrames {
            let indices = (dither && palette.exact == nil)
                ? ditheredIndices(frame, width: width, height: height, palette: &palette)
                : plainIndices(frame, palette: &palette)
            // Graphic control: disposal 1 (leave in place), no transparency, the delay.
            out += [0x21, 0xF9, 4, 1 << 2, UInt8(centiseconds & 0xFF), UInt8(centiseconds >> 8), 0, 0]
            out.append(0x2C)
            appendLittleEndian16(&out, 0)
            appendLittleEndian16(&out, 0)
            appendLittleEndian16(&out, width)
            appendLittleEndian16(&out, height)
            out.append(0)  // no local table, not interlaced
            out.append(UInt8(minCodeSize))
            let codes = GIFLZW.encode(indices, minCodeSize: minCodeSize)
            var start = 0
            while start < codes.count {
                let size = min(255, codes.count - start)
                out.append(UInt8(size))
                out += codes[start..<start + size]
                start += size
            }
            out.append(0)
        }
        out.append(0x3B)
        return out
    }

    /// Interleaved RGB (height × width × 3) of a 1–4 channel image; alpha is dropped.
    static func rgb(_ image: Image) -> [UInt8] {
        switch image.channels {
        case 3: return image.pixels
        default:
            let n = image.width * image.height
            var out = [UInt8](repeating: 0, count: n * 3)
            let c = image.channels
            for i in 0..<n {
                if c <= 2 {
                    let v = image.pixels[i * c]
                    out[3 * i] = v
                    out[3 * i + 1] = v
                    out[3 * i + 2] = v
                } else {
                    out[3 * i] = image.pixels[i * c]
                    out[3 * i + 1] = image.pixels[i * c + 1]
                    out[3 * i + 2] = image.pixels[i * c + 2]
                }
            }
            return out
        }
    }

    static func plainIndices(_ frame: [UInt8], palette: inout GIFPalette) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: frame.count / 3)
        for i in out.indices {
            out[i] = palette.index(r: Int(frame[3 * i]), g: Int(frame[3 * i + 1]), b: Int(frame[3 * i + 2]))
        }
        return out
    }

    /// Floyd–Steinberg: each pixel's quantization error goes 7/16 right, 3/16 down-left,
    /// 5/16 down, 1/16 down-right (raster order, no serpentine); the wanted colour is clipped
    /// to 0–255 before its error is taken.
    static func ditheredIndices(_ frame: [UInt8], width: Int, height: Int, palette: inout GIFPalette) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        // Error carried into the current and next row, 3 channels per pixel, one pixel of
        // padding on each side.
        var current = [Float](repeating: 0, count: (width + 2) * 3)
        var next = current
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                // The wanted colour, clipped to 0–255 so errors the palette cannot absorb
                // (beyond its gamut) do not pile up.
                let r = min(max(Float(frame[3 * i]) + current[(x + 1) * 3], 0), 255)
                let g = min(max(Float(frame[3 * i + 1]) + current[(x + 1) * 3 + 1], 0), 255)
                let b = min(max(Float(frame[3 * i + 2]) + current[(x + 1) * 3 + 2], 0), 255)
                let index = palette.index(r: Int(r.rounded()), g: Int(g.rounded()), b: Int(b.rounded()))
                out[i] = index
                let entry = 3 * Int(index)
                let errors = (r - Float(palette.colours[entry]), g - Float(palette.colours[entry + 1]),
                              b - Float(palette.colours[entry + 2]))
                for (c, error) in [errors.0, errors.1, errors.2].enumerated() {
                    current[(x + 2) * 3 + c] += error * 7 / 16
                    next[x * 3 + c] += error * 3 / 16
                    next[(x + 1) * 3 + c] += error * 5 / 16
                    next[(x + 2) * 3 + c] += error * 1 / 16
                }
            }
            swap(&current, &next)
            for k in next.indices { next[k] = 0 }
        }
        return out
    }

    static func appendLittleEndian16(_ bytes: inout [UInt8], _ value: Int) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)]
    }
}
