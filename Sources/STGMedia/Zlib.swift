import CZlib

/// zlib (RFC 1950) streams through the system zlib: inflate with a hard output limit, deflate,
/// and CRC-32. Used by the PNG codec and by compressed MAT-file elements.
enum Zlib {
    /// Inflates one zlib stream.
    ///
    /// Output grows as data arrives, so a short or corrupt stream never allocates more than it
    /// produced; inflation stops with an error once more than `limit` bytes come out.
    /// - Parameters:
    ///   - input: the compressed bytes (a zlib header, deflate data, Adler-32).
    ///   - limit: the most bytes the caller accepts.
    ///   - sizeHint: expected output size, used for the first allocation (capped at `limit`).
    ///   - requireEnd: when false, a stream that stops early (no end marker) returns what it
    ///     produced instead of throwing; the caller then checks the size.
    ///   - path: the file named in errors; `what` says which part of it is compressed.
    /// - Returns: the inflated bytes and whether the stream ended properly.
    static func inflate(
        _ input: ArraySlice<UInt8>, limit: Int, sizeHint: Int = 0, requireEnd: Bool = true,
        path: String, what: String
    ) throws -> (bytes: [UInt8], complete: Bool) {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw MediaError(path, "zlib could not start inflating \(what)")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8](repeating: 0, count: max(1024, min(limit &+ 1, max(sizeHint, 0) &+ 1)))
        var produced = 0
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { source in
            var offset = 0
            while true {
                // Feed at most 1 GiB at a time (avail_in is 32-bit).
                if stream.avail_in == 0 {
                    let chunk = min(source.count - offset, 1 << 30)
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress.map { $0 + offset })
                    stream.avail_in = UInt32(chunk)
                    offset += chunk
                }
                if produced == output.count {
                    if produced > limit { break }
                    let grown = min(max(output.count * 2, 1024), limit &+ 1)
                    output.append(contentsOf: repeatElement(0, count: grown - output.count))
                }
                let room = min(output.count - produced, 1 << 30)
                status = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = UInt32(room)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                produced += room - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    return
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: input exhausted (or output full, handled above).
                    if stream.avail_in == 0 && offset == source.count {
                        return
                    }
                    if produced < output.count { return }
                case Z_DATA_ERROR:
                    let message = stream.msg.map { String(cString: $0) } ?? "invalid data"
                    throw MediaError(path, "\(what) is corrupt (zlib: \(message))")
                case Z_MEM_ERROR:
                    throw MediaError(path, "zlib ran out of memory inflating \(what)")
                default:
                    throw MediaError(path, "\(what) is corrupt (zlib status \(status))")
                }
            }
        }
        if produced > limit {
            throw MediaError(path, "\(what) inflates to more than the expected \(limit) bytes")
        }
        if status != Z_STREAM_END && requireEnd {
            throw MediaError(path, "\(what) is truncated: the zlib stream ends early")
        }
        output.removeLast(output.count - produced)
        return (output, status == Z_STREAM_END)
    }

    /// Deflates `input` as one zlib stream at compression `level` (0–9).
    static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit_(&stream, level, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "zlib deflateInit failed with status \(started)")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
        var produced = 0
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                let room = output.count - produced
                let status = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = UInt32(room)
                    return CZlib.deflate(&stream, Z_FINISH)
                }
                produced += room - Int(stream.avail_out)
                if status == Z_STREAM_END { break }
                precondition(status == Z_OK || status == Z_BUF_ERROR, "zlib deflate failed with status \(status)")
            }
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// CRC-32 (the PNG/zlib polynomial) of `bytes`, continuing from `crc`.
    static func crc32(_ bytes: ArraySlice<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(UInt(crc), buffer.baseAddress, UInt32(buffer.count)))
        }
    }
}
