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

    /// A standard normal Float (scalar Box–Muller, one of the pair; `GaussianNoise` is the fast
    /// bulk path).
    public mutating func nextNormal() -> Float {
        let u1 = nextOpenUnitFloat()
        let u2 = nextOpenUnitFloat()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }
}

infix operator <<< : BitwiseShiftPrecedence
@inlinable
func <<< (x: UInt64, k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

/// Reproducible Gaussian noise for large buffers, generated in parallel and in SIMD lanes.
///
/// The buffer is cut into fixed blocks of `blockSize` values; block `b` of stream `stream` under
/// `seed` has its own key, and draw i of the block is SplitMix64's output function applied to
/// key + (i + 1)·γ (a counter-based generator: 16 draws per vector step, no serial state), so the
/// values do not depend on the number of threads.
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
            let start = block * blockSize
            let end = min(start + blockSize, count)
            fillBoxMuller(base.value + start, count: end - start, key: key(seed: seed, stream: stream, block: block), scale: scale)
        }
    }

    /// The counter-based generator's key of block `block` of stream `stream` under `seed`.
    @inline(__always)
    static func key(seed: UInt64, stream: UInt64, block: Int) -> UInt64 {
        splitMix64(splitMix64(seed ^ splitMix64(stream &+ 0x5851_F42D_4C95_7F2D)) &+ UInt64(block))
    }

    /// SplitMix64's increment γ (the golden ratio in 64 bits).
    @usableFromInline static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Draws i ..< i + 16 of the counter-based generator with `key`, as two vectors of 24-bit
    /// uniforms in (0, 1): bits 40–63 → u1, bits 16–39 → u2.
    @inline(__always)
    static func uniforms(key: UInt64, draw i: Int) -> (SIMD16<Float>, SIMD16<Float>) {
        let lanes = SIMD16<UInt64>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        var z = (lanes &+ UInt64(i + 1)) &* gamma &+ key
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        z = z ^ (z &>> 31)
        let high = SIMD16<Int32>(truncatingIfNeeded: z &>> 40)
        let middle = SIMD16<Int32>(truncatingIfNeeded: (z &>> 16) & 0xFF_FFFF)
        let step: Float = 1.0 / 16_777_216.0
        return ((SIMD16<Float>(high) + 0.5) * step, (SIMD16<Float>(middle) + 0.5) * step)
    }

    /// Fills `count` values from the Box–Muller transform, 16 pairs at a time.
    ///
    /// Each 64-bit draw gives two 24-bit uniforms (`uniforms`); 16 draws give 32 normals:
    /// out[0..<16] = r·cos θ, out[16..<32] = r·sin θ with r = √(−2 ln u1)·scale, θ = 2π·u2
    /// (`boxMuller`). A tail shorter than 32 is computed the same way and truncated. The values
    /// depend only on the key, so only on seed, stream and block.
    @usableFromInline
    static func fillBoxMuller(_ p: UnsafeMutablePointer<Float>, count: Int, key: UInt64, scale: Float) {
        var i = 0
        while i < count {
            let (u1, u2) = uniforms(key: key, draw: i / 2)
            let (c, s) = boxMuller(u1, u2, scale: scale)
            if count - i >= 32 {
                let out = UnsafeMutableRawPointer(p + i)
                out.storeBytes(of: c, as: SIMD16<Float>.self)
                out.storeBytes(of: s, toByteOffset: 64, as: SIMD16<Float>.self)
            } else {
                for lane in 0..<min(16, count - i) { p[i + lane] = c[lane] }
                for lane in 0..<max(0, min(16, count - i - 16)) { p[i + 16 + lane] = s[lane] }
            }
            i += 32
        }
    }

    /// The Box–Muller pair (r·cos 2πu2, r·sin 2πu2) with r = scale·√(−2 ln u1), for u1, u2 in (0, 1],
    /// on 16 lanes (polynomial log and sine/cosine, relative error about 1e-7).
    @inline(__always)
    package static func boxMuller(
        _ u1: SIMD16<Float>, _ u2: SIMD16<Float>, scale: Float
    ) -> (SIMD16<Float>, SIMD16<Float>) {
        let r = VectorMath.squareRoot(-2 * VectorMath.log(u1)) * scale
        let (sine, cosine) = VectorMath.sinCosTurns(u2)
        return (r * cosine, r * sine)
    }

    /// Convenience: `count` values of stream 0 as an array.
    public static func array(count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { fill($0, seed: seed, stream: 0, scale: scale) }
        return values
    }
}
