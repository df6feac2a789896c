/// PNG decoding: chunk walk with CRC checks, zlib inflation, the five scanline filters, Adam7
/// de-interlacing and sample conversion to 8-bit channels.
enum PNGDecoder {
    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Decodes one PNG file. See `PNG.decode(_:path:)` for the channel rules.
    static func decode(_ data: [UInt8], path: String, limits: DecodeLimits) throws -> Image {
        guard data.count >= 8, Array(data[0..<8]) == signature else {
            throw MediaError(path, "this is not a PNG file (wrong signature)")
        }
        var header: PNGHeader?
        var palette: [UInt8] = []  // RGB triples
        var transparency: [UInt8]?  // raw tRNS payload
        var compressed: [UInt8] = []
        var sawIDAT = false
        var idatEnded = false
        var position = 8
        chunks: while true {
            guard data.count - position >= 12 else {
                throw MediaError(path, "PNG file is truncated: it ends before the IEND chunk")
            }
            let length = readBigEndian32(data, position)
            guard length <= 0x7FFF_FFFF else {
                throw MediaError(path, "PNG chunk length \(length) at byte \(position) is invalid")
            }
            let typeStart = position + 4
            let dataStart = position + 8
            guard data.count - dataStart - 4 >= length else {
                throw MediaError(path, "PNG file is truncated: chunk at byte \(position) needs \(length) bytes")
            }
            let type = String(decoding: data[typeStart..<dataStart], as: UTF8.self)
            let body = data[dataStart..<dataStart + length]
            let storedCRC = UInt32(readBigEndian32(data, dataStart + length))
            guard Zlib.crc32(data[typeStart..<dataStart + length]) == storedCRC else {
                throw MediaError(path, "PNG chunk \(printable(type)) at byte \(position) has a bad CRC")
            }
            position = dataStart + length + 4
            if header == nil && type != "IHDR" {
                throw MediaError(path, "PNG file does not start with an IHDR chunk (found \(printable(type)))")
            }
            if sawIDAT && type != "IDAT" { idatEnded = true }
            switch type {
            case "IHDR":
                guard header == nil else { throw MediaError(path, "PNG file has more than one IHDR chunk") }
                header = try PNGHeader(body, path: path, maxPixels: limits.maxPixels)
            case "PLTE":
                guard !sawIDAT else { throw MediaError(path, "PNG palette (PLTE) comes after the image data") }
                guard length % 3 == 0, (3...768).contains(length) else {
                    throw MediaError(path, "PNG palette (PLTE) has \(length) bytes, not 1–256 RGB entries")
                }
                palette = Array(body)
            case "tRNS":
                transparency = Array(body)
            case "IDAT":
                guard !idatEnded else {
                    throw MediaError(path, "PNG image data (IDAT) chunks are not consecutive")
                }
                sawIDAT = true
                compressed.append(contentsOf: body)
            case "IEND":
                break chunks
            default:
                let firstByte = data[typeStart]
                if firstByte & 0x20 == 0 {  // upper-case first letter: critical
                    throw MediaError(path, "PNG critical chunk \(printable(type)) is unsupported")
                }
            }
        }
        guard let header else { throw MediaError(path, "PNG file has no IHDR chunk") }
        guard sawIDAT else { throw MediaError(path, "PNG file has no image data (IDAT)") }
        if header.colorType == .palette && palette.isEmpty {
            throw MediaError(path, "PNG palette image has no palette (PLTE)")
        }

        let expected = header.filteredByteCount
        guard expected <= limits.maxOutputBytes else {
            throw MediaError(path, "PNG image data (\(expected) bytes) exceeds the limit of \(limits.maxOutputBytes) bytes")
        }
        let inflated = try Zlib.inflate(
            compressed[...], limit: expected, sizeHint: min(expected, compressed.count * 16 + 4096),
            requireEnd: false, path: path, what: "PNG image data")
        guard inflated.bytes.count == expected else {
            throw MediaError(path, "PNG image data is truncated: \(inflated.bytes.count) of \(expected) bytes")
        }
        var raw = inflated.bytes
        try unfilter(&raw, header: header, path: path)
        return convert(raw, header: header, palette: palette, transparency: transparency, limits: limits)
    }

    /// Undoes the per-row filters in place, pass by pass.
    static func unfilter(_ raw: inout [UInt8], header: PNGHeader, path: String) throws {
        let stride = header.filterStride
        var start = 0
        for pass in header.passes {
            let size = header.passSize(pass)
            guard size.width > 0 && size.height > 0 else { continue }
            let rowBytes = header.rowBytes(pixels: size.width)
            let failedRow: Int? = raw.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                for y in 0..<size.height {
                    let filter = base[start]
                    let row = base + start + 1
                    // The previous row of this pass; nil for the first (treated as zeros).
                    let above: UnsafeMutablePointer<UInt8>? = y == 0 ? nil : row - (rowBytes + 1)
                    switch filter {
                    case 0:
                        break
                    case 1:  // Sub
                        if rowBytes > stride {
                            for i in stride..<rowBytes { row[i] &+= row[i - stride] }
                        }
                    case 2:  // Up
                        if let above { for i in 0..<rowBytes { row[i] &+= above[i] } }
                    case 3:  // Average
                        for i in 0..<rowBytes {
                            let left = i >= stride ? Int(row[i - stride]) : 0
                            let up = above.map { Int($0[i]) } ?? 0
                            row[i] &+= UInt8((left + up) >> 1)
                        }
                    case 4:  // Paeth
                        for i in 0..<rowBytes {
                            let a = i >= stride ? Int(row[i - stride]) : 0
                            let b = above.map { Int($0[i]) } ?? 0
                            let c = (i >= stride ? above.map { Int($0[i - stride]) } : nil) ?? 0
                            let p = a + b - c
                            let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                            let predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                            row[i] &+= UInt8(predictor)
                        }
                    default:
                        return y
                    }
                    start += rowBytes + 1
                }
                return nil
            }
            if let failedRow {
                throw MediaError(path, "PNG row \(failedRow) has invalid filter type \(raw[start])")
            }
        }
    }

    /// Converts unfiltered scanlines to an 8-bit image, placing interlaced passes.
    static func convert(
        _ raw: [UInt8], header: PNGHeader, palette: [UInt8], transparency: [UInt8]?, limits: DecodeLimits
    ) -> Image {
        let type = header.colorType
        let depth = header.bitDepth
        // Transparency key (grey or RGB, raw sample values) or per-palette-entry alpha.
        var key: [Int]? = nil
        var paletteAlpha: [UInt8]? = nil
        if let transparency {
            switch type {
            case .grey where transparency.count >= 2:
                key = [Int(transparency[0]) << 8 | Int(transparency[1])]
            case .rgb where transparency.count >= 6:
                key = (0..<3).map { Int(transparency[2 * $0]) << 8 | Int(transparency[2 * $0 + 1]) }
            case .palette where !transparency.isEmpty:
                paletteAlpha = transparency
            default:
                break
            }
        }
        let hasAlpha = key != nil || paletteAlpha != nil
        let channels: Int
        switch type {
        case .grey: channels = hasAlpha ? 2 : 1
        case .greyAlpha: channels = 2
        case .rgb, .palette: channels = hasAlpha ? 4 : 3
        case .rgba: channels = 4
        }
        let width = header.width
        var pixels = [UInt8](repeating: 0, count: header.width * header.height * channels)
        let samples = type.samples
        let rowBytesForDepth = header.rowBytes
        let maxValue = (1 << depth) - 1
        let scale = depth < 8 ? 255 / maxValue : 1
        let paletteCount = palette.count / 3
        // Full palette as RGBA; indices past the end decode as opaque black.
        var rgbaPalette = [UInt8](repeating: 0, count: 256 * 4)
        for i in 0..<256 {
            rgbaPalette[4 * i + 3] = 255
            if i < paletteCount {
                for c in 0..<3 { rgbaPalette[4 * i + c] = palette[3 * i + c] }
                if let paletteAlpha, i < paletteAlpha.count { rgbaPalette[4 * i + 3] = paletteAlpha[i] }
            }
        }

        raw.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                var start = 0
                var values = [Int](repeating: 0, count: 4)
                for pass in header.passes {
                    let size = header.passSize(pass)
                    guard size.width > 0 && size.height > 0 else { continue }
                    let rowBytes = rowBytesForDepth(size.width)
                    for py in 0..<size.height {
                        let row = start + 1
                        let y = pass.y0 + py * pass.dy
                        for px in 0..<size.width {
                            let x = pass.x0 + px * pass.dx
                            // Raw sample values at the file's depth.
                            for s in 0..<samples {
                                let index = px * samples + s
                                switch depth {
                                case 16:
                                    values[s] = Int(source[row + 2 * index]) << 8 | Int(source[row + 2 * index + 1])
                                case 8:
                                    values[s] = Int(source[row + index])
                                default:
                                    let bit = index * depth
                                    let byte = Int(source[row + bit >> 3])
                                    values[s] = (byte >> (8 - depth - (bit & 7))) & maxValue
                                }
                            }
                            let out = (y * width + x) * channels
                            if type == .palette {
                                let entry = values[0] * 4
                                for c in 0..<channels { target[out + c] = rgbaPalette[entry + c] }
                                continue
                            }
                            for s in 0..<samples {
                                let v = values[s]
                                target[out + s] = UInt8(truncatingIfNeeded: depth == 16 ? v >> 8 : v * scale)
                            }
                            if let key {
                                var transparent = true
                                for s in 0..<samples where values[s] != key[s] { transparent = false }
                                target[out + samples] = transparent ? 0 : 255
                            }
                        }
                        start += rowBytes + 1
                    }
                }
            }
        }
        return Image(width: header.width, height: header.height, channels: channels, pixels: pixels)
    }

    /// Big-endian unsigned 32-bit value at `offset` (the caller checked the bounds).
    @inline(__always)
    static func readBigEndian32(_ data: [UInt8], _ offset: Int) -> Int {
        Int(data[offset]) << 24 | Int(data[offset + 1]) << 16 | Int(data[offset + 2]) << 8 | Int(data[offset + 3])
    }

    /// A chunk type for messages: printable ASCII or hex.
    static func printable(_ type: String) -> String {
        type.utf8.allSatisfy { (0x20...0x7E).contains($0) }
            ? "'\(type)'" : type.utf8.map { String($0, radix: 16) }.joined(separator: " ")
    }
}

