/// GIF's variable-length LZW (GIF89a appendix F): codes of 3–12 bits packed least significant
/// bit first, a clear code (2^minCodeSize) that resets the table and an end code after it.
enum GIFLZW {
    /// Why a code stream could not be decoded.
    enum Failure: Error {
        case badCode(Int, tableSize: Int)
    }

    /// Decodes one frame's code stream into palette indices.
    ///
    /// - Parameters:
    ///   - data: the frame's data sub-blocks, concatenated.
    ///   - minCodeSize: the byte before the sub-blocks (2–8; 1 is tolerated).
    ///   - pixels: width × height of the frame; decoding stops there.
    /// - Returns: `pixels` indices and how many of them the stream decoded (the rest are 0).
    ///   Streams that end early are allowed, as in every browser; codes beyond the table throw.
    static func decode(_ data: [UInt8], minCodeSize: Int, pixels: Int) throws(Failure) -> (indices: [UInt8], decoded: Int) {
        var output = [UInt8](repeating: 0, count: pixels)
        let clear = 1 << minCodeSize
        let end = clear + 1
        // Table: each code is its prefix code plus one suffix byte; `length` caches the string
        // length and `first` its first byte, so a code expands right-to-left into the output.
        var prefix = [UInt16](repeating: 0, count: 4096)
        var suffix = [UInt8](repeating: 0, count: 4096)
        var first = [UInt8](repeating: 0, count: 4096)
        var length = [Int](repeating: 0, count: 4096)
        for code in 0..<min(clear, 4096) {
            suffix[code] = UInt8(truncatingIfNeeded: code)
            first[code] = UInt8(truncatingIfNeeded: code)
            length[code] = 1
        }
        var codeSize = minCodeSize + 1
        var next = end + 1
        var previous = -1
        var written = 0
        var bitBuffer = 0
        var bitCount = 0
        var position = 0

        while written < pixels {
            // Refill the bit buffer to hold one code.
            while bitCount < codeSize {
                guard position < data.count else { return (output, written) }
                bitBuffer |= Int(data[position]) << bitCount
                position += 1
                bitCount += 8
            }
            let code = bitBuffer & ((1 << codeSize) - 1)
            bitBuffer >>= codeSize
            bitCount -= codeSize

            if code == clear {
                codeSize = minCodeSize + 1
                next = end + 1
                previous = -1
                continue
            }
            if code == end { break }
            if previous < 0 {
                // First code after a clear: a literal.
                guard code < clear else { throw .badCode(code, tableSize: next) }
                output[written] = UInt8(truncatingIfNeeded: code)
                written += 1
                previous = code
                continue
            }
            guard code <= next && code < 4096 else { throw .badCode(code, tableSize: next) }
            // A code not yet in the table (code == next) is previous + first byte of previous.
            let known = code < next
            let firstByte = known ? first[code] : first[previous]
            if next < 4096 {
                prefix[next] = UInt16(previous)
                suffix[next] = firstByte
                first[next] = first[previous]
                length[next] = length[previous] + 1
                next += 1
                if next >= 1 << codeSize && codeSize < 12 { codeSize += 1 }
            }
            // Expand `code` right to left (count − 1 prefix steps reach a root), clipped to the
            // pixels left.
            let count = length[code]
            var walk = code
            var index = written + count - 1
            while true {
                if index < pixels { output[index] = suffix[walk] }
                if index == written { break }
                walk = Int(prefix[walk])
                index -= 1
            }
            written = min(pixels, written + count)
            previous = code
        }
        return (output, written)
    }

    /// Encodes palette indices (each < 2^minCodeSize) as a code stream: a clear code first, a
    /// clear code whenever the table fills, codes growing from minCodeSize + 1 to 12 bits.
    static func encode(_ indices: [UInt8], minCodeSize: Int) -> [UInt8] {
        let clear = 1 << minCodeSize
        let end = clear + 1
        var writer = BitWriter()
        var codeSize = minCodeSize + 1
        var next = end + 1
        // Trie of the table: first child and next sibling of each code, and its last byte.
        var firstChild = [Int16](repeating: -1, count: 4096)
        var sibling = [Int16](repeating: -1, count: 4096)
        var byte = [UInt8](repeating: 0, count: 4096)

        writer.write(clear, bits: codeSize)
        guard var current = indices.first.map(Int.init) else {
            writer.write(end, bits: codeSize)
            return writer.finish()
        }
        for k in indices.dropFirst() {
            // Look for current + k in the table.
            var child = Int(firstChild[current])
            while child >= 0 && byte[child] != k { child = Int(sibling[child]) }
            if child >= 0 {
                current = child
                continue
            }
            writer.write(current, bits: codeSize)
            // Add current + k; the decoder adds the same entry one code later, hence the
            // width grows once `next` passes 2^codeSize (not when it reaches it).
            byte[next] = k
            sibling[next] = firstChild[current]
            firstChild[current] = Int16(next)
            firstChild[next] = -1
            next += 1
            if next > 1 << codeSize && codeSize < 12 { codeSize += 1 }
            if next == 4096 {
                writer.write(clear, bits: codeSize)
                for code in 0..<clear { firstChild[code] = -1 }
                codeSize = minCodeSize + 1
                next = end + 1
            }
            current = Int(k)
        }
        writer.write(current, bits: codeSize)
        // The decoder may widen after this last code; the end code uses the width it expects.
        if next + 1 > 1 << codeSize && codeSize < 12 && next < 4096 { codeSize += 1 }
        writer.write(end, bits: codeSize)
        return writer.finish()
    }

    /// Packs codes least significant bit first.
    struct BitWriter {
        var bytes: [UInt8] = []
        var buffer = 0
        var count = 0

        mutating func write(_ code: Int, bits: Int) {
            buffer |= code << count
            count += bits
            while count >= 8 {
                bytes.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
            buffer = 0
            count = 0
            return bytes
        }
    }
}
