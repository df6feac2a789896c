/// The PNG image header (IHDR) and the sizes it implies.
struct PNGHeader {
    /// Pixel colour types (PNG §11.2.2).
    enum ColorType: UInt8 {
        case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6

        /// Samples per pixel in the file.
        var samples: Int {
            switch self {
            case .grey, .palette: 1
            case .greyAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        /// Bit depths the standard allows for this colour type.
        var allowedDepths: [Int] {
            switch self {
            case .grey: [1, 2, 4, 8, 16]
            case .palette: [1, 2, 4, 8]
            case .rgb, .greyAlpha, .rgba: [8, 16]
            }
        }
    }

    var width: Int
    var height: Int
    var bitDepth: Int
    var colorType: ColorType
    var interlaced: Bool

    /// Bits per pixel in the file.
    var bitsPerPixel: Int { bitDepth * colorType.samples }
    /// Filter byte distance: bytes per complete pixel, at least 1.
    var filterStride: Int { max(1, bitsPerPixel / 8) }
    /// Bytes of one filtered scanline of `pixels` pixels, without the filter-type byte.
    func rowBytes(pixels: Int) -> Int { (pixels * bitsPerPixel + 7) / 8 }

    /// The seven Adam7 passes as (x0, y0, dx, dy); one full pass when not interlaced.
    var passes: [(x0: Int, y0: Int, dx: Int, dy: Int)] {
        interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
    }

    /// Size of one pass in pixels (zero-sized passes hold no data at all).
    func passSize(_ pass: (x0: Int, y0: Int, dx: Int, dy: Int)) -> (width: Int, height: Int) {
        ((width - pass.x0 + pass.dx - 1) / pass.dx, (height - pass.y0 + pass.dy - 1) / pass.dy)
    }

    /// Bytes of decompressed image data: every non-empty pass's rows, each with its filter byte.
    var filteredByteCount: Int {
        var total = 0
        for pass in passes {
            let size = passSize(pass)
            if size.width > 0 && size.height > 0 { total += (rowBytes(pixels: size.width) + 1) * size.height }
        }
        return total
    }

    /// Parses and validates the 13 bytes of an IHDR chunk.
    init(_ data: ArraySlice<UInt8>, path: String, maxPixels: Int) throws {
        guard data.count == 13 else {
            throw MediaError(path, "PNG header chunk (IHDR) has \(data.count) bytes instead of 13")
        }
        let b = Array(data)
        let w = Int(b[0]) << 24 | Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3])
        let h = Int(b[4]) << 24 | Int(b[5]) << 16 | Int(b[6]) << 8 | Int(b[7])
        guard w > 0, h > 0, w < 1 << 31, h < 1 << 31 else {
            throw MediaError(path, "PNG image size \(w)×\(h) is invalid")
        }
        guard w * h <= maxPixels else {
            throw MediaError(path, "PNG image size \(w)×\(h) exceeds the limit of \(maxPixels) pixels")
        }
        guard let type = ColorType(rawValue: b[9]) else {
            throw MediaError(path, "PNG colour type \(b[9]) is invalid")
        }
        guard type.allowedDepths.contains(Int(b[8])) else {
            throw MediaError(path, "PNG bit depth \(b[8]) is invalid for colour type \(type.rawValue)")
        }
        guard b[10] == 0 else { throw MediaError(path, "PNG compression method \(b[10]) is unsupported") }
        guard b[11] == 0 else { throw MediaError(path, "PNG filter method \(b[11]) is unsupported") }
        guard b[12] <= 1 else { throw MediaError(path, "PNG interlace method \(b[12]) is unsupported") }
        width = w
        height = h
        bitDepth = Int(b[8])
        colorType = type
        interlaced = b[12] == 1
    }
}
