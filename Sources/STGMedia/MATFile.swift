import Foundation

/// The numeric variables of a MATLAB Level-5 MAT-file (the format of `save -v7` and
/// `scipy.io.savemat`; not v7.3/HDF5, not Level 4).
///
/// Reads the 128-byte header and its endian indicator, data element tags in both the normal
/// and the small (4-byte) form, `miCOMPRESSED` elements (zlib) and `miMATRIX` arrays of any
/// numeric class, char and logical. Cells, structs, objects and sparse arrays are skipped
/// (their names are listed in `skipped`).
public struct MATFile: Sendable {
    /// The file named in errors.
    public var path: String
    /// Variables by name.
    public var variables: [String: MATArray]
    /// Names of variables of unsupported classes (cell, struct, object, sparse, …).
    public var skipped: [String]

    /// Parses a MAT-file held in memory; `path` names it in errors.
    public static func read(_ data: [UInt8], path: String) throws -> MATFile {
        try MATFileReader.read(data, path: path, limits: .standard)
    }

    /// `read(_:path:)` with explicit allocation limits (`maxOutputBytes` bounds the inflated
    /// size of each compressed element and the bytes of each array).
    public static func read(_ data: [UInt8], path: String, limits: DecodeLimits) throws -> MATFile {
        try MATFileReader.read(data, path: path, limits: limits)
    }

    /// Reads and parses the MAT-file at `path`.
    public static func read(contentsOf path: String) throws -> MATFile {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw MediaError(path, "cannot read the MAT-file (missing or unreadable)")
        }
        return try read([UInt8](contents), path: path)
    }

    /// The variable `name`, or an error that lists the variables the file has.
    public func array(_ name: String) throws -> MATArray {
        guard let array = variables[name] else {
            let names = variables.keys.sorted().joined(separator: ", ")
            throw MediaError(path, "MAT-file has no variable '\(name)' (it has: \(names.isEmpty ? "none" : names))")
        }
        return array
    }
}

/// One numeric (or char, or logical) MATLAB array.
///
/// Layout: column-major (the first dimension fastest), like MATLAB: element (i0, i1, …) is at
/// i0 + d0 · (i1 + d1 · (i2 + …)).
public struct MATArray: Sendable, Equatable {
    /// MATLAB array classes this reader keeps (raw values as in the format's mxCLASS codes).
    public enum ElementClass: Int, Sendable {
        case char = 4, double = 6, single = 7, int8 = 8, uint8 = 9, int16 = 10, uint16 = 11
        case int32 = 12, uint32 = 13, int64 = 14, uint64 = 15
    }

    /// Elements, stored compactly: bytes for uint8 and logical arrays (the masks), doubles
    /// otherwise.
    enum Storage: Sendable, Equatable {
        case bytes([UInt8])
        case doubles([Double])
    }

    public var name: String
    /// Sizes of each dimension (at least two; MATLAB has no 1-D arrays).
    public var dimensions: [Int]
    public var elementClass: ElementClass
    /// Whether MATLAB flags the array as logical (values 0 and 1, class uint8).
    public var isLogical: Bool
    var storage: Storage

    /// Number of elements (the product of the dimensions).
    public var count: Int { dimensions.reduce(1, *) }

    /// All elements as Double, column-major, already cast to the array's class.
    public var values: [Double] {
        switch storage {
        case .bytes(let bytes): return bytes.map(Double.init)
        case .doubles(let doubles): return doubles
        }
    }

    /// The elements as bytes without conversion, for uint8 and logical arrays (column-major);
    /// nil for other classes. The fast path for big masks.
    public var uint8Values: [UInt8]? {
        if case .bytes(let bytes) = storage { return bytes }
        return nil
    }

    /// Element at column-major `index`.
    public subscript(index: Int) -> Double {
        switch storage {
        case .bytes(let bytes): return Double(bytes[index])
        case .doubles(let doubles): return doubles[index]
        }
    }

    /// Element at (i0, i1, …), one index per dimension.
    public subscript(indices: [Int]) -> Double {
        precondition(indices.count == dimensions.count,
                     "\(name) has \(dimensions.count) dimensions, got \(indices.count) indices")
        var offset = 0
        for axis in stride(from: dimensions.count - 1, through: 0, by: -1) {
            precondition((0..<dimensions[axis]).contains(indices[axis]),
                         "index \(indices[axis]) outside 0..<\(dimensions[axis]) on axis \(axis) of \(name)")
            offset = offset * dimensions[axis] + indices[axis]
        }
        return self[offset]
    }

    public init(name: String, dimensions: [Int], elementClass: ElementClass, isLogical: Bool = false, values: [Double]) {
        precondition(values.count == dimensions.reduce(1, *), "\(name): \(values.count) values for dimensions \(dimensions)")
        self.name = name
        self.dimensions = dimensions
        self.elementClass = elementClass
        self.isLogical = isLogical
        self.storage = .doubles(values)
    }

    init(name: String, dimensions: [Int], elementClass: ElementClass, isLogical: Bool, storage: Storage) {
        self.name = name
        self.dimensions = dimensions
        self.elementClass = elementClass
        self.isLogical = isLogical
        self.storage = storage
    }
}
