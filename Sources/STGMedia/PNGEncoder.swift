/// PNG encoding of 8-bit images: one IHDR, one IDAT, IEND; each row's filter chosen by the
/// minimum sum of absolute (signed) filtered bytes.
enum PNGEncoder {
    static func encode(_ image: Image, level: Int32 = 6) -> [UInt8] {
        let colorType: UInt8 = [0, 4, 2, 6][image.channels - 1]
        let stride = image.channels
        let rowBytes = image.width * stride
        var filtered = [UInt8](repeating: 0, count: (rowBytes + 1) * image.height)
        var candidate = [UInt8](repeating: 0, count: rowBytes)
        image.pixels.withUnsafeBufferPointer { pixels in
            filtered.withUnsafeMutableBufferPointer { out in
                candidate.withUnsafeMutableBufferPointer { trial in
                    for y in 0..<image.height {
                        let row = pixels.baseAddress! + y * rowBytes
                        let above: UnsafePointer<UInt8>? = y == 0 ? nil : row - rowBytes
                        let target = out.baseAddress! + y * (rowBytes + 1)
                        var bestSum = Int.max
                        for filter in 0...4 {
                            var sum = 0
                            for i in 0..<rowBytes {
                                let a = i >= stride ? Int(row[i - stride]) : 0
                                let b = above.map { Int($0[i]) } ?? 0
                                let c = i >= stride ? (above.map { Int($0[i - stride]) } ?? 0) : 0
                                let predictor: Int
                                switch filter {
                                case 0: predictor = 0
                                case 1: predictor = a
                                case 2: predictor = b
                                case 3: predictor = (a + b) >> 1
                                default:
                                    let p = a + b - c
                                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                                }
                                let value = UInt8(truncatingIfNeeded: Int(row[i]) - predictor)
                                trial[i] = value
                                sum += abs(Int(Int8(bitPattern: value)))
                            }
                            if sum < bestSum {
                                bestSum = sum
                                target[0] = UInt8(filter)
                                (target + 1).update(from: trial.baseAddress!, count: rowBytes)
                            }
                        }
                    }
                }
            }
        }
        var header: [UInt8] = []
        appendBigEndian32(&header, UInt32(image.width))
        appendBigEndian32(&header, UInt32(image.height))
        header += [8, colorType, 0, 0, 0]

        var file = PNGDecoder.signature
        appendChunk(&file, "IHDR", header)
        appendChunk(&file, "IDAT", Zlib.deflate(filtered, level: level))
        appendChunk(&file, "IEND", [])
        return file
    }

    /// Appends length, type, data and CRC-32 (over type and data).
    static func appendChunk(_ file: inout [UInt8], _ type: String, _ data: [UInt8]) {
        appendBigEndian32(&file, UInt32(data.count))
        let typeStart = file.count
        file += Array(type.utf8)
        file += data
        appendBigEndian32(&file, Zlib.crc32(file[typeStart...]))
    }

    static func appendBigEndian32(_ bytes: inout [UInt8], _ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
