/// How to occlude a video for a recovery experiment, as text the CLI accepts.
///
/// Accepted forms (fractions are numbers in 0…1, sizes positive integers):
/// - `pixels:P`: each pixel of each frame is missing independently with probability P;
/// - `blocks:P:S`: random S×S blocks (inside the frame) are added to each frame until they cover
///   a fraction P of it;
/// - `region:F` or `region:F:moving`: one rectangle covering a fraction F of each frame, with the
///   frame's aspect ratio; fixed at one random position, or moving along a straight line at
///   constant speed from a random start (frame 0) to a random end (last frame);
/// - `frames:P`: round(P × frames) whole frames, chosen at random, are missing;
/// - `middle-frames`: frames frames/3 ..< 2·frames/3 (the middle third) are missing.
///
/// `description` prints the canonical form, which parses back to the same value.
/// Generation (`mask(frames:height:width:seed:)`) is reproducible for a given seed and size.
public enum MaskSpec: Hashable, Sendable, CustomStringConvertible {
    case pixels(fraction: Double)
    case blocks(fraction: Double, size: Int)
    case region(fraction: Double, moving: Bool)
    case frames(fraction: Double)
    case middleFrames

    /// The accepted forms, for help texts and error messages.
    public static let acceptedForms =
        "pixels:P, blocks:P:S, region:F, region:F:moving, frames:P or middle-frames "
        + "(P, F fractions in 0...1, S a block size in pixels ≥ 1)"

    public var description: String {
        switch self {
        case .pixels(let p): return "pixels:\(p)"
        case .blocks(let p, let s): return "blocks:\(p):\(s)"
        case .region(let f, let moving): return moving ? "region:\(f):moving" : "region:\(f)"
        case .frames(let p): return "frames:\(p)"
        case .middleFrames: return "middle-frames"
        }
    }

    /// Parses one of the accepted forms (kind names are case-insensitive, spaces around are
    /// ignored); throws a `RecoveryError` naming the spec and listing the accepted forms.
    public init(parsing text: String) throws(RecoveryError) {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false).map {
            String($0).trimmingWhitespace()
        }
        func fail(_ problem: String) -> RecoveryError {
            RecoveryError("mask spec '\(text)'", "\(problem); accepted forms: \(MaskSpec.acceptedForms)")
        }
        func fraction(_ s: String, _ what: String, allowZero: Bool = true) throws(RecoveryError) -> Double {
            guard let v = Double(s), v.isFinite else { throw fail("\(what) '\(s)' is not a number") }
            guard v <= 1, allowZero ? v >= 0 : v > 0 else {
                throw fail("\(what) \(v) must be in \(allowZero ? "0" : "(0")...1\(allowZero ? "" : "]")")
            }
            return v
        }
        func arity(_ counts: Set<Int>, _ usage: String) throws(RecoveryError) {
            guard counts.contains(parts.count) else { throw fail("expected \(usage)") }
        }
        switch parts[0].lowercased() {
        case "pixels":
            try arity([2], "pixels:P")
            self = .pixels(fraction: try fraction(parts[1], "fraction P"))
        case "blocks":
            try arity([3], "blocks:P:S")
            let p = try fraction(parts[1], "fraction P")
            guard let s = Int(parts[2]), s >= 1 else {
                throw fail("block size S '\(parts[2])' must be an integer ≥ 1")
            }
            self = .blocks(fraction: p, size: s)
        case "region":
            try arity([2, 3], "region:F or region:F:moving")
            let f = try fraction(parts[1], "fraction F", allowZero: false)
            var moving = false
            if parts.count == 3 {
                switch parts[2].lowercased() {
                case "moving": moving = true
                case "fixed": moving = false
                default: throw fail("region option '\(parts[2])' must be 'moving' or 'fixed'")
                }
            }
            self = .region(fraction: f, moving: moving)
        case "frames":
            try arity([2], "frames:P")
            self = .frames(fraction: try fraction(parts[1], "fraction P"))
        case "middle-frames", "middleframes", "middle":
            try arity([1], "middle-frames with no parameters")
            self = .middleFrames
        case "":
            throw fail("the spec is empty")
        default:
            throw fail("unknown kind '\(parts[0])'")
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
