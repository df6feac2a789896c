/// Elementary functions on 16 Float lanes (Cephes-style polynomials), for vectorised kernels.
///
/// Deterministic: the same inputs give the same bits on every run and thread.
package enum VectorMath {
    /// Natural logarithm for positive, finite, normal x (relative error about 1e-7).
    @inline(__always)
    package static func log(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // x = m · 2^e with m in [√½, √2), found with integer operations only (musl's logf trick:
        // shifting the bits by 1 − √½ moves the mantissa boundary to √½).
        let bits = unsafeBitCast(x, to: SIMD16<Int32>.self) &+ (0x3F80_0000 - 0x3F35_04F3)
        // Biased exponent as a Float without the generic conversion: (2^23 + e) − 2^23.
        let exponent = unsafeBitCast((bits &>> 23) | 0x4B00_0000, to: SIMD16<Float>.self) - (8_388_608 + 127)
        let m = unsafeBitCast((bits & 0x007F_FFFF) &+ 0x3F35_04F3, to: SIMD16<Float>.self) - 1
        let z = m * m
        var y = SIMD16<Float>(repeating: 7.037_683_629_2e-2)
        y = y * m - 1.151_461_031_0e-1
        y = y * m + 1.167_699_874_0e-1
        y = y * m - 1.242_014_084_6e-1
        y = y * m + 1.424_932_278_7e-1
        y = y * m - 1.666_805_766_5e-1
        y = y * m + 2.000_071_476_5e-1
        y = y * m - 2.499_999_399_3e-1
        y = y * m + 3.333_333_117_4e-1
        y = y * m * z
        y += -2.121_944_40e-4 * exponent
        y += -0.5 * z
        return m + y + 0.693_359_375 * exponent
    }

    /// (sin 2πt, cos 2πt) for |t| < 2^20 (in turns), relative error about 1e-7 away from zeros.
    @inline(__always)
    package static func sinCosTurns(_ t: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        // t − nearest quarter turn q/4 leaves r in [−1/8, 1/8]; x = 2πr in [−π/4, π/4].
        // Adding 1.5·2^23 rounds to the nearest integer and leaves it in the low mantissa bits
        // (|4t| < 2^22), avoiding the generic Float → Int conversion.
        let shifted = t * 4 + 12_582_912
        let quarters = shifted - 12_582_912
        let r = t - quarters * 0.25
        let x = r * 6.283_185_307_179_586
        let z = x * x
        var s = SIMD16<Float>(repeating: -1.951_529_589_1e-4)
        s = s * z + 8.332_160_873_6e-3
        s = s * z - 1.666_665_461_1e-1
        s = s * z * x + x
        var c = SIMD16<Float>(repeating: 2.443_315_711_809_948e-5)
        c = c * z - 1.388_731_625_493_765e-3
        c = c * z + 4.166_664_568_298_827e-2
        c = c * z * z - 0.5 * z + 1
        // Rotate by q quarter turns, (sin, cos): q ≡ 1: (c, −s); 2: (−s, −c); 3: (−c, s). Done on
        // the bits: swap where q is odd, flip the sign of sin where q ≥ 2 and of cos where q is 1 or 2.
        let q = unsafeBitCast(shifted, to: SIMD16<Int32>.self) & 3
        let swap = 0 &- (q & 1)
        let sBits = unsafeBitCast(s, to: SIMD16<Int32>.self)
        let cBits = unsafeBitCast(c, to: SIMD16<Int32>.self)
        let sine = unsafeBitCast(((sBits & ~swap) | (cBits & swap)) ^ ((q & 2) &<< 30), to: SIMD16<Float>.self)
        let cosine = unsafeBitCast(
            ((cBits & ~swap) | (sBits & swap)) ^ (((q ^ (q &>> 1)) & 1) &<< 31), to: SIMD16<Float>.self)
        return (sine, cosine)
    }

    /// √x for positive, finite x (relative error about 1e-7): a bit-level estimate of 1/√x refined
    /// by three Newton steps. (`SIMD.squareRoot()` is lowered lane by lane with a branch, which
    /// also stops the surrounding code from vectorising.)
    @inline(__always)
    package static func squareRoot(_ x: SIMD16<Float>) -> SIMD16<Float> {
        var y = unsafeBitCast(0x5F37_59DF &- (unsafeBitCast(x, to: SIMD16<Int32>.self) &>> 1), to: SIMD16<Float>.self)
        let half = 0.5 * x
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        return x * y
    }
}
