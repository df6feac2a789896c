/// The dot-product micro-kernel of `IndirectConvolution`'s weight gradient: a 4 × 6 block of dot
/// products of long contiguous vectors, kept as 24 SIMD16 partial sums (lane-wise; summed across
/// lanes by the caller).
package enum DotMicroKernel {
    /// For each segment q in `segments`: acc[r·6 + j] += Σ_i rows[r][q·length + i] · source[columnOffsets[j·stride + q] + i]
    /// over i in 0..<length16 (a multiple of 16); `rows` are `rowStride` apart. The lane-wise
    /// partial sums are loaded from and stored back to `acc` (24 SIMD16, row-major 4 × 6).
    @inline(__always)
    package static func dot4x6(
        segments: Range<Int>, length: Int, length16: Int, rows: UnsafePointer<Float>, rowStride: Int,
        source: UnsafePointer<Float>, columnOffsets: UnsafePointer<Float>, offsetStride: Int,
        acc: UnsafeMutablePointer<SIMD16<Float>>
    ) {
        var c00 = acc[0], c01 = acc[1], c02 = acc[2], c03 = acc[3], c04 = acc[4], c05 = acc[5]
        var c10 = acc[6], c11 = acc[7], c12 = acc[8], c13 = acc[9], c14 = acc[10], c15 = acc[11]
        var c20 = acc[12], c21 = acc[13], c22 = acc[14], c23 = acc[15], c24 = acc[16], c25 = acc[17]
        var c30 = acc[18], c31 = acc[19], c32 = acc[20], c33 = acc[21], c34 = acc[22], c35 = acc[23]
        for q in segments {
            let w0 = UnsafeRawPointer(rows + 0 * rowStride + q * length)
            let w1 = UnsafeRawPointer(rows + 1 * rowStride + q * length)
            let w2 = UnsafeRawPointer(rows + 2 * rowStride + q * length)
            let w3 = UnsafeRawPointer(rows + 3 * rowStride + q * length)
            let x0 = UnsafeRawPointer(source + Int(Int32(bitPattern: columnOffsets[0 * offsetStride + q].bitPattern)))
            let x1 = UnsafeRawPointer(source + Int(Int32(bitPattern: columnOffsets[1 * offsetStride + q].bitPattern)))
            let x2 = UnsafeRawPointer(source + Int(Int32(bitPattern: columnOffsets[2 * offsetStride + q].bitPattern)))
            let x3 = UnsafeRawPointer(source + Int(Int32(bitPattern: columnOffsets[3 * offsetStride + q].bitPattern)))
            let x4 = UnsafeRawPointer(source + Int(Int32(bitPattern: columnOffsets[4 * offsetStride + q].bitPattern)))
            let x5 = UnsafeRawPointer(source + Int(Int32(bitPattern: columnOffsets[5 * offsetStride + q].bitPattern)))
            var i = 0
            while i < length16 * 4 {
                let b0 = x0.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                let b1 = x1.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                let b2 = x2.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                let b3 = x3.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                let b4 = x4.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                let b5 = x5.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                let a0 = w0.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                c00.addProduct(a0, b0)
                c01.addProduct(a0, b1)
                c02.addProduct(a0, b2)
                c03.addProduct(a0, b3)
                c04.addProduct(a0, b4)
                c05.addProduct(a0, b5)
                let a1 = w1.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                c10.addProduct(a1, b0)
                c11.addProduct(a1, b1)
                c12.addProduct(a1, b2)
                c13.addProduct(a1, b3)
                c14.addProduct(a1, b4)
                c15.addProduct(a1, b5)
                let a2 = w2.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                c20.addProduct(a2, b0)
                c21.addProduct(a2, b1)
                c22.addProduct(a2, b2)
                c23.addProduct(a2, b3)
                c24.addProduct(a2, b4)
                c25.addProduct(a2, b5)
                let a3 = w3.loadUnaligned(fromByteOffset: i, as: SIMD16<Float>.self)
                c30.addProduct(a3, b0)
                c31.addProduct(a3, b1)
                c32.addProduct(a3, b2)
                c33.addProduct(a3, b3)
                c34.addProduct(a3, b4)
                c35.addProduct(a3, b5)
                i += 64
            }
        }
        acc[0] = c00
        acc[1] = c01
        acc[2] = c02
        acc[3] = c03
        acc[4] = c04
        acc[5] = c05
        acc[6] = c10
        acc[7] = c11
        acc[8] = c12
        acc[9] = c13
        acc[10] = c14
        acc[11] = c15
        acc[12] = c20
        acc[13] = c21
        acc[14] = c22
        acc[15] = c23
        acc[16] = c24
        acc[17] = c25
        acc[18] = c30
        acc[19] = c31
        acc[20] = c32
        acc[21] = c33
        acc[22] = c34
        acc[23] = c35
    }
}
