import Foundation

/// SplitMix64: turns any 64-bit value into a well-mixed one. Used to derive generator seeds.
@inlinable
public func splitMix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// xoshiro256++: a small, fast, reproducible generator (the same seed gives the same stream on
/// every machine and build).
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        x = splitMix64(x); s0 = x
        x = splitMix64(x); s1 = x
        x = splitMix64(x); s2 = x
        x = splitMix64(x); s3 = x
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s0 &+ s3) <<< 23) &+ s0
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 <<< 45
        return result
    }

    /// A uniform Float in the open interval (0, 1).
    @inlinable
    public mutating func nextOpenUnitFloat() -> Float {
        // 24 random bits, shifted by half a step so that 0 never occurs.
        (Float(next() >> 40) + 0.5) * (1.0 / 16_777_216.0)
    }

    /// A standard normal Float (Box–Muller, one of the pair).
    public mutating func nextNormal() -> Float {
        let u1 = nextOpenUnitFloat()
        let u2 = nextOpenUnitFloat()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }
}

infix operator <<< : BitwiseShiftPrecedence
@inlinable
func <<< (x: UInt64, k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

/// Reproducible Gaussian noise for large buffers, generated in parallel.
///
/// The buffer is cut into fixed blocks of `blockSize` values; block `b` of stream `stream` under
/// `seed` always gets the same generator, so the values do not depend on the number of threads.
public enum GaussianNoise {
    public static let blockSize = 16_384

    /// Overwrites `buffer` with `scale × N(0, 1)` values of stream `stream`.
    public static func fill(
        _ buffer: UnsafeMutableBufferPointer<Float>, seed: UInt64, stream: UInt64, scale: Float = 1
    ) {
        let count = buffer.count
        let blocks = (count + blockSize - 1) / blockSize
        let base = UncheckedSendable(buffer.baseAddress!)
        Parallel.forEach(blocks) { block in
            var rng = Xoshiro256(seed: splitMix64(seed ^ splitMix64(stream &+ 0x5851_F42D_4C95_7F2D)) &+ UInt64(block))
            let start = block * blockSize
            let end = min(start + blockSize, count)
            fillBoxMuller(base.value + start, count: end - start, rng: &rng, scale: scale)
        }
    }

    /// Fills `count` values with pairs from the Box–Muller transform.
    @usableFromInline
    static func fillBoxMuller(_ p: UnsafeMutablePointer<Float>, count: Int, rng: inout Xoshiro256, scale: Float) {
        var i = 0
        while i < count {
            let u1 = rng.nextOpenUnitFloat()
            let u2 = rng.nextOpenUnitFloat()
            let r = (-2 * logf(u1)).squareRoot() * scale
            let angle = 2 * Float.pi * u2
            p[i] = r * cosf(angle)
            if i + 1 < count { p[i + 1] = r * sinf(angle) }
            i += 2
        }
    }

    /// Convenience: `count` values of stream 0 as an array.
    public static func array(count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { fill($0, seed: seed, stream: 0, scale: scale) }
        return values
    }
}
