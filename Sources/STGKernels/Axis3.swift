/// Three sizes, one per axis of a video volume: time (frames), height, width.
///
/// Written as a literal: `2` (the same on every axis) or `[1, 2, 2]` (t, h, w).
public struct Axis3: Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral
{
    public var t: Int
    public var h: Int
    public var w: Int

    public init(t: Int, h: Int, w: Int) {
        self.t = t
        self.h = h
        self.w = w
    }

    public init(_ all: Int) { self.init(t: all, h: all, w: all) }
    public init(integerLiteral value: Int) { self.init(value) }
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 3, "an Axis3 literal needs 3 values (t, h, w), got \(elements.count)")
        self.init(t: elements[0], h: elements[1], w: elements[2])
    }

    /// The value along axis `i` (0 = t, 1 = h, 2 = w).
    public subscript(axis: Int) -> Int {
        get { axis == 0 ? t : (axis == 1 ? h : w) }
        set {
            switch axis {
            case 0: t = newValue
            case 1: h = newValue
            default: w = newValue
            }
        }
    }

    public var volume: Int { t * h * w }
    public var array: [Int] { [t, h, w] }
    public var description: String { "\(t)×\(h)×\(w)" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let all = try? container.decode(Int.self) {
            self.init(all)
            return
        }
        let values = try container.decode([Int].self)
        guard values.count == 3 else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected one integer or three (t, h, w), got \(values.count)")
        }
        self.init(t: values[0], h: values[1], w: values[2])
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(array)
    }
}
