/// GIF (87a and 89a) decoding: block walk, global and local palettes, graphic control
/// extensions (delay, transparency, disposal), interlaced rows, frames placed on the canvas.
enum GIFDecoder {
    /// Decodes every frame to a full-canvas RGB image. See `GIF.decode(_:path:)`.
    ///
    /// The canvas starts as the global palette's background colour (black without a global
    /// palette). Disposal 2 restores a frame's rectangle to that colour, disposal 3 to what was
    /// there before the frame; 0 and 1 leave the frame in place. Transparent pixels keep the
    /// canvas beneath. A missing delay is 0 seconds.
    static func decode(_ data: [UInt8], path: String, limits: DecodeLimits) throws -> (frames: [Image], delays: [Double]) {
        var reader = Reader(data: data, path: path)
        guard data.count >= 6, data[0..<3].elementsEqual("GIF".utf8) else {
            throw MediaError(path, "this is not a GIF file (wrong signature)")
        }
        let version = String(decoding: data[3..<6], as: UTF8.self)
        guard version == "87a" || version == "89a" else {
            throw MediaError(path, "GIF version '\(version)' is unsupported (expected 87a or 89a)")
        }
        reader.position = 6
        let width = try reader.u16("logical screen descriptor")
        let height = try reader.u16("logical screen descriptor")
        let flags = try reader.byte("logical screen descriptor")
        let backgroundIndex = Int(try reader.byte("logical screen descriptor"))
        _ = try reader.byte("logical screen descriptor")  // pixel aspect ratio
        guard width > 0 && height > 0 else {
            throw MediaError(path, "GIF canvas size \(width)×\(height) is invalid")
        }
        guard width * height <= limits.maxPixels else {
            throw MediaError(path, "GIF canvas \(width)×\(height) exceeds the limit of \(limits.maxPixels) pixels")
        }
        let globalPalette: [UInt8]? =
            flags & 0x80 != 0 ? try reader.bytes(3 << (Int(flags & 7) + 1), "global colour table") : nil
        var background: [UInt8] = [0, 0, 0]
        if let globalPalette, backgroundIndex * 3 + 2 < globalPalette.count {
            background = Array(globalPalette[backgroundIndex * 3..<backgroundIndex * 3 + 3])
        }

        let canvasBytes = width * height * 3
        var canvas = [UInt8](repeating: 0, count: canvasBytes)
        fill(&canvas, width: width, rect: (0, 0, width, height), with: background)
        var frames: [Image] = []
        var delays: [Double] = []
        // The pending graphic control extension applies to the next image only.
        var control: (disposal: Int, delay: Double, transparent: Int?)? = nil

        blocks: while true {
            guard reader.position < data.count else {
                // Many files end without the trailer; accept that at a block boundary.
                break
            }
            let introducer = try reader.byte("block")
            switch introducer {
            case 0x3B:
                break blocks
            case 0x21:
                let label = try reader.byte("extension")
                if label == 0xF9 {
                    let size = Int(try reader.byte("graphic control extension"))
                    let body = try reader.bytes(size, "graphic control extension")
                    if size >= 4 {
                        let disposal = Int(body[0] >> 2 & 7)
                        let delay = Double(Int(body[1]) | Int(body[2]) << 8) / 100
                        control = (disposal, delay, body[0] & 1 != 0 ? Int(body[3]) : nil)
                    }
                }
                // The rest of any extension is sub-blocks (skipped).
                try reader.skipSubBlocks("extension")
            case 0x2C:
                let frameNumber = frames.count
                let what = "frame \(frameNumber)"
                let left = try reader.u16(what), top = try reader.u16(what)
                let frameWidth = try reader.u16(what), frameHeight = try reader.u16(what)
                let frameFlags = try reader.byte(what)
                let localPalette: [UInt8]? =
                    frameFlags & 0x80 != 0 ? try reader.bytes(3 << (Int(frameFlags & 7) + 1), "\(what) colour table") : nil
                let minCodeSize = Int(try reader.byte(what))
                guard (1...8).contains(minCodeSize) else {
                    throw MediaError(path, "GIF \(what) has invalid LZW minimum code size \(minCodeSize)")
                }
                let codes = try reader.subBlocks(what)
                guard let palette = localPalette ?? globalPalette else {
                    throw MediaError(path, "GIF \(what) has no colour table (neither local nor global)")
                }
                guard frameWidth * frameHeight <= limits.maxPixels else {
                    throw MediaError(path, "GIF \(what) size \(frameWidth)×\(frameHeight) exceeds the limit of \(limits.maxPixels) pixels")
                }
                guard (frames.count + 1) * canvasBytes <= limits.maxOutputBytes else {
                    throw MediaError(path, "GIF has more frames than the limit of \(limits.maxOutputBytes) output bytes allows")
                }
                let indices: [UInt8]
                let decoded: Int
                do {
                    (indices, decoded) = try GIFLZW.decode(codes, minCodeSize: minCodeSize, pixels: frameWidth * frameHeight)
                } catch .badCode(let code, let tableSize) {
                    throw MediaError(path, "GIF \(what) has corrupt image data (LZW code \(code) with \(tableSize) table entries)")
                }
                let disposal = control?.disposal ?? 0
                let saved = disposal == 3 ? canvas : nil
                draw(indices, decoded: decoded, palette: palette, transparent: control?.transparent,
                     interlaced: frameFlags & 0x40 != 0,
                     rect: (left, top, frameWidth, frameHeight), on: &canvas, width: width, height: height)
                frames.append(Image(width: width, height: height, channels: 3, pixels: canvas))
                delays.append(control?.delay ?? 0)
                if disposal == 2 {
                    fill(&canvas, width: width,
                         rect: (left, top, min(frameWidth, max(width - left, 0)), min(frameHeight, max(height - top, 0))),
                         with: background)
                } else if let saved {
                    canvas = saved
                }
                control = nil
            default:
                throw MediaError(path, "GIF has an unknown block type 0x\(String(introducer, radix: 16)) at byte \(reader.position - 1)")
            }
        }
        guard !frames.isEmpty else { throw MediaError(path, "GIF file has no frames") }
        return (frames, delays)
    }

    /// Sets every pixel of `rect` (inside the canvas) to `colour`.
    static func fill(
        _ canvas: inout [UInt8], width: Int, rect: (left: Int, top: Int, width: Int, height: Int), with colour: [UInt8]
    ) {
        guard rect.width > 0 && rect.height > 0 else { return }
        let (r, g, b) = (colour[0], colour[1], colour[2])
        canvas.withUnsafeMutableBufferPointer { pixels in
            for y in rect.top..<rect.top + rect.height {
                var out = (y * width + rect.left) * 3
                for _ in 0..<rect.width {
                    pixels[out] = r
                    pixels[out + 1] = g
                    pixels[out + 2] = b
                    out += 3
                }
            }
        }
    }

    /// Paints a frame's decoded indices onto the canvas, clipped to it.
    static func draw(
        _ indices: [UInt8], decoded: Int, palette: [UInt8], transparent: Int?, interlaced: Bool,
        rect: (left: Int, top: Int, width: Int, height: Int), on canvas: inout [UInt8], width: Int, height: Int
    ) {
        let colours = palette.count / 3
        // Row r of the stream lands on frame row rows[r] (interlaced: every 8th from 0, every
        // 8th from 4, every 4th from 2, every 2nd from 1).
        var rows = Array(0..<rect.height)
        if interlaced {
            rows = Array(stride(from: 0, to: rect.height, by: 8)) + Array(stride(from: 4, to: rect.height, by: 8))
                + Array(stride(from: 2, to: rect.height, by: 4)) + Array(stride(from: 1, to: rect.height, by: 2))
        }
        let decodedRows = (decoded + rect.width - 1) / max(rect.width, 1)
        for (r, frameRow) in rows.enumerated() where r < decodedRows {
            let y = rect.top + frameRow
            guard y < height else { continue }
            for column in 0..<rect.width {
                let i = r * rect.width + column
                guard i < decoded else { break }
                let x = rect.left + column
                guard x < width else { break }
                let index = Int(indices[i])
                if index == transparent { continue }
                let out = (y * width + x) * 3
                if index < colours {
                    canvas[out] = palette[3 * index]
                    canvas[out + 1] = palette[3 * index + 1]
                    canvas[out + 2] = palette[3 * index + 2]
                } else {  // index past the table: black, as browsers draw it
                    canvas[out] = 0
                    canvas[out + 1] = 0
                    canvas[out + 2] = 0
                }
            }
        }
    }

    /// Bounds-checked little-endian reads that name the file and the part being read.
    struct Reader {
        let data: [UInt8]
        let path: String
        var position = 0

        mutating func byte(_ what: String) throws -> UInt8 {
            guard position < data.count else { throw truncated(what) }
            position += 1
            return data[position - 1]
        }

        mutating func u16(_ what: String) throws -> Int {
            guard data.count - position >= 2 else { throw truncated(what) }
            position += 2
            return Int(data[position - 2]) | Int(data[position - 1]) << 8
        }

        mutating func bytes(_ count: Int, _ what: String) throws -> [UInt8] {
            guard data.count - position >= count else { throw truncated(what) }
            position += count
            return Array(data[position - count..<position])
        }

        mutating func skipSubBlocks(_ what: String) throws {
            while true {
                let size = Int(try byte(what))
                if size == 0 { return }
                guard data.count - position >= size else { throw truncated(what) }
                position += size
            }
        }

        /// Concatenated data sub-blocks up to the zero-length terminator.
        mutating func subBlocks(_ what: String) throws -> [UInt8] {
            var out: [UInt8] = []
            while true {
                let size = Int(try byte(what))
                if size == 0 { return out }
                guard data.count - position >= size else { throw truncated(what) }
                out.append(contentsOf: data[position..<position + size])
                position += size
            }
        }

        func truncated(_ what: String) -> MediaError {
            MediaError(path, "GIF file is truncated in the \(what) at byte \(position)")
        }
    }
}
