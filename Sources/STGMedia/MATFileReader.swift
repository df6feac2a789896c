/// Byte-level parsing of Level-5 MAT-files. See `MATFile`.
///
/// Element tag: (type: u32, nbytes: u32) then data padded to 8 bytes; or the small form, one
/// u32 with nbytes (1–4) in its upper 16 bits and the type in its lower 16, then 4 data bytes.
/// Top-level `miCOMPRESSED` elements are not padded.
enum MATFileReader {
    /// Data types (the mi codes of the format).
    enum DataType: Int {
        case int8 = 1, uint8 = 2, int16 = 3, uint16 = 4, int32 = 5, uint32 = 6, single = 7, double = 9
        case int64 = 12, uint64 = 13, matrix = 14, compressed = 15, utf8 = 16, utf16 = 17, utf32 = 18

        /// Bytes per element of a numeric (or text) type; 0 for matrix and compressed.
        var size: Int {
            switch self {
            case .int8, .uint8, .utf8: 1
            case .int16, .uint16, .utf16: 2
            case .int32, .uint32, .single, .utf32: 4
            case .double, .int64, .uint64: 8
            case .matrix, .compressed: 0
            }
        }
    }

    /// A parsed tag: its type code, where its data is and how long, and where the next starts.
    struct Element {
        var type: Int
        var data: Range<Int>
        var next: Int
    }

    /// Bounds-checked, endian-aware reads over one buffer.
    struct Bytes {
        let data: [UInt8]
        let bigEndian: Bool
        let path: String
        /// Where this buffer came from, for messages ("file" or "compressed element at byte N").
        let context: String

        func u32(_ offset: Int) -> UInt32 {
            let b = (UInt32(data[offset]), UInt32(data[offset + 1]), UInt32(data[offset + 2]), UInt32(data[offset + 3]))
            return bigEndian ? b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3 : b.3 << 24 | b.2 << 16 | b.1 << 8 | b.0
        }

        /// The element whose tag starts at `offset`, within `end`; `padded` rounds the data up
        /// to 8 bytes (everything except top-level compressed elements).
        func element(at offset: Int, end: Int, padded: Bool, what: String) throws -> Element {
            guard end - offset >= 8 else {
                throw MediaError(path, "MAT-file is truncated: \(what) tag at byte \(offset) of the \(context)")
            }
            let first = u32(offset)
            let upper = Int(first >> 16)
            if upper != 0 {
                // Small data element: nbytes in the upper 16 bits, data in the next 4 bytes.
                guard upper <= 4 else {
                    throw MediaError(path, "MAT-file small element at byte \(offset) of the \(context) claims \(upper) bytes (at most 4)")
                }
                return Element(type: Int(first & 0xFFFF), data: offset + 4..<offset + 4 + upper, next: offset + 8)
            }
            let count = Int(u32(offset + 4))
            let start = offset + 8
            guard end - start >= count else {
                throw MediaError(path, "MAT-file is truncated: \(what) at byte \(offset) of the \(context) needs \(count) bytes, \(end - start) remain")
            }
            let paddedCount = padded ? (count + 7) & ~7 : count
            return Element(type: Int(first), data: start..<start + count, next: min(start + paddedCount, end))
        }
    }

    static func read(_ data: [UInt8], path: String, limits: DecodeLimits) throws -> MATFile {
        guard data.count >= 128 else {
            if data.starts(with: Array("MATLAB".utf8)) {
                throw MediaError(path, "MAT-file is truncated: \(data.count) bytes, the header alone has 128")
            }
            throw MediaError(path, "this is not a MAT-file (no 128-byte MATLAB header)")
        }
        let text = String(decoding: data[0..<116], as: UTF8.self)
        if text.hasPrefix("MATLAB 7.3") {
            throw MediaError(path, "MAT-file v7.3 (HDF5) is unsupported; save with -v7 or scipy.io.savemat")
        }
        let bigEndian: Bool
        switch (data[126], data[127]) {
        case (0x49, 0x4D): bigEndian = false  // "IM"
        case (0x4D, 0x49): bigEndian = true  // "MI"
        default:
            throw MediaError(path, "this is not a Level-5 MAT-file (no IM/MI endian indicator at byte 126)")
        }
        guard text.hasPrefix("MATLAB") else {
            throw MediaError(path, "this is not a MAT-file (header text does not start with 'MATLAB')")
        }
        var file = MATFile(path: path, variables: [:], skipped: [])
        let top = Bytes(data: data, bigEndian: bigEndian, path: path, context: "file")
        var offset = 128
        while data.count - offset >= 8 {
            let element = try top.element(at: offset, end: data.count, padded: false, what: "variable")
            switch DataType(rawValue: element.type) {
            case .compressed:
                let inflated = try Zlib.inflate(
                    data[element.data], limit: limits.maxOutputBytes,
                    sizeHint: min(element.data.count * 8, limits.maxOutputBytes),
                    path: path, what: "MAT-file compressed element at byte \(offset)")
                let inner = Bytes(data: inflated.bytes, bigEndian: bigEndian, path: path,
                                  context: "compressed element at byte \(offset)")
                var innerOffset = 0
                while inflated.bytes.count - innerOffset >= 8 {
                    let matrix = try inner.element(at: innerOffset, end: inflated.bytes.count, padded: true, what: "variable")
                    if matrix.type == DataType.matrix.rawValue {
                        try readMatrix(matrix.data, in: inner, limits: limits, into: &file)
                    }
                    innerOffset = matrix.next
                }
                offset = element.next
            case .matrix:
                try readMatrix(element.data, in: top, limits: limits, into: &file)
                offset = (element.data.upperBound + 7) & ~7  // uncompressed elements are padded
            default:
                offset = (element.data.upperBound + 7) & ~7  // other top-level data: skipped
            }
        }
        return file
    }

    /// Parses one miMATRIX body: array flags, dimensions, name, real part (imaginary ignored).
    static func readMatrix(_ body: Range<Int>, in bytes: Bytes, limits: DecodeLimits, into file: inout MATFile) throws {
        let path = bytes.path
        guard !body.isEmpty else { return }  // empty matrix (e.g. inside cells)
        let flags = try bytes.element(at: body.lowerBound, end: body.upperBound, padded: true, what: "array flags")
        guard flags.type == DataType.uint32.rawValue, flags.data.count >= 4 else {
            throw MediaError(path, "MAT-file array at byte \(body.lowerBound) of the \(bytes.context) has malformed array flags")
        }
        let flagWord = bytes.u32(flags.data.lowerBound)
        let classCode = Int(flagWord & 0xFF)
        let isLogical = flagWord & 0x200 != 0

        let dimensionsElement = try bytes.element(at: flags.next, end: body.upperBound, padded: true, what: "dimensions")
        guard dimensionsElement.type == DataType.int32.rawValue, dimensionsElement.data.count % 4 == 0,
              dimensionsElement.data.count >= 8
        else {
            throw MediaError(path, "MAT-file array at byte \(body.lowerBound) of the \(bytes.context) has malformed dimensions")
        }
        var dimensions: [Int] = []
        var count = 1
        for at in stride(from: dimensionsElement.data.lowerBound, to: dimensionsElement.data.upperBound, by: 4) {
            let size = Int(Int32(bitPattern: bytes.u32(at)))
            guard size >= 0 else {
                throw MediaError(path, "MAT-file array at byte \(body.lowerBound) of the \(bytes.context) has negative dimension \(size)")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= limits.maxOutputBytes else {
                throw MediaError(path, "MAT-file array at byte \(body.lowerBound) of the \(bytes.context) is too large (dimensions \(dimensions + [size]))")
            }
            count = product
            dimensions.append(size)
        }

        let nameElement = try bytes.element(at: dimensionsElement.next, end: body.upperBound, padded: true, what: "array name")
        let name = String(decoding: bytes.data[nameElement.data], as: UTF8.self)

        guard let elementClass = MATArray.ElementClass(rawValue: classCode) else {
            file.skipped.append(name)  // cell, struct, object, sparse, function handle, …
            return
        }
        let real = try bytes.element(at: nameElement.next, end: body.upperBound, padded: true, what: "data of '\(name)'")
        guard let type = DataType(rawValue: real.type), type.size > 0 else {
            throw MediaError(path, "MAT-file variable '\(name)' has unsupported data type \(real.type)")
        }
        guard real.data.count == count * type.size else {
            throw MediaError(path, "MAT-file variable '\(name)' has \(real.data.count) data bytes; dimensions \(dimensions) of \(type) need \(count * type.size)")
        }
        let storage: MATArray.Storage
        if elementClass == .uint8 && type == .uint8 {
            storage = .bytes(Array(bytes.data[real.data]))  // the masks: no conversion
        } else {
            var values = [Double](repeating: 0, count: count)
            for i in 0..<count {
                values[i] = cast(stored(bytes, type: type, at: real.data.lowerBound + i * type.size), to: elementClass)
            }
            storage = elementClass == .uint8 ? .bytes(values.map { UInt8($0) }) : .doubles(values)
        }
        file.variables[name] = MATArray(name: name, dimensions: dimensions, elementClass: elementClass,
                                        isLogical: isLogical, storage: storage)
    }

    /// One stored element as Double.
    static func stored(_ bytes: Bytes, type: DataType, at offset: Int) -> Double {
        let data = bytes.data
        switch type {
        case .int8: return Double(Int8(bitPattern: data[offset]))
        case .uint8, .utf8: return Double(data[offset])
        case .int16, .uint16, .utf16:
            let v = bytes.bigEndian ? UInt16(data[offset]) << 8 | UInt16(data[offset + 1])
                : UInt16(data[offset + 1]) << 8 | UInt16(data[offset])
            return type == .int16 ? Double(Int16(bitPattern: v)) : Double(v)
        case .int32: return Double(Int32(bitPattern: bytes.u32(offset)))
        case .uint32, .utf32: return Double(bytes.u32(offset))
        case .single: return Double(Float(bitPattern: bytes.u32(offset)))
        case .double, .int64, .uint64:
            let high = UInt64(bytes.u32(bytes.bigEndian ? offset : offset + 4))
            let low = UInt64(bytes.u32(bytes.bigEndian ? offset + 4 : offset))
            let v = high << 32 | low
            switch type {
            case .double: return Double(bitPattern: v)
            case .int64: return Double(Int64(bitPattern: v))
            default: return Double(v)
            }
        case .matrix, .compressed: return 0
        }
    }

    /// `value` cast to the array's class: integers saturate and round to nearest (MATLAB's
    /// rule; NaN becomes 0), single rounds to Float.
    static func cast(_ value: Double, to elementClass: MATArray.ElementClass) -> Double {
        let range: ClosedRange<Double>
        switch elementClass {
        case .double, .char: return value
        case .single: return Double(Float(value))
        case .int8: range = -128...127
        case .uint8: range = 0...255
        case .int16: range = -32768...32767
        case .uint16: range = 0...65535
        case .int32: range = -2_147_483_648...2_147_483_647
        case .uint32: range = 0...4_294_967_295
        case .int64: range = -9.223372036854775808e18...9.223372036854775807e18
        case .uint64: range = 0...1.8446744073709551615e19
        }
        if value.isNaN { return 0 }
        return min(max(value.rounded(), range.lowerBound), range.upperBound)
    }
}
