/// Micro-kernels of the frame-spanning forward: 6 weight rows read in place and broadcast one
/// float at a time, against a packed block of lanes (`FrameSpanningConv3d.forward`).
///
/// acc[r·accStride + v] += Σ_{i < steps} rows[r][i] · source[i·pitch + 16·v ..< + 16] for r < 6,
/// v < 4 (64 lanes), v < 3 (48) or v = 0 (16 lanes); the accumulators are loaded from and
/// stored back.
/// The 64-lane tile does 4 vector loads and 6 broadcasts per 24 fused multiply-adds.
package enum BroadcastRowsMicroKernels {
    /// Six row pointers (rows may repeat when there are fewer than six).
    package typealias Rows = (
        UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
        UnsafePointer<Float>, UnsafePointer<Float>
    )

    @inline(__always)
    package static func rows6x64(
        steps: Int, rows: Rows, source: UnsafePointer<Float>, pitch: Int, acc: UnsafeMutablePointer<SIMD16<Float>>,
        accStride: Int
    ) {
        var c00 = acc[0], c01 = acc[1], c02 = acc[2], c03 = acc[3]
        var c10 = acc[1 * accStride + 0], c11 = acc[1 * accStride + 1], c12 = acc[1 * accStride + 2], c13 = acc[1 * accStride + 3]
        var c20 = acc[2 * accStride + 0], c21 = acc[2 * accStride + 1], c22 = acc[2 * accStride + 2], c23 = acc[2 * accStride + 3]
        var c30 = acc[3 * accStride + 0], c31 = acc[3 * accStride + 1], c32 = acc[3 * accStride + 2], c33 = acc[3 * accStride + 3]
        var c40 = acc[4 * accStride + 0], c41 = acc[4 * accStride + 1], c42 = acc[4 * accStride + 2], c43 = acc[4 * accStride + 3]
        var c50 = acc[5 * accStride + 0], c51 = acc[5 * accStride + 1], c52 = acc[5 * accStride + 2], c53 = acc[5 * accStride + 3]
        var p = UnsafeRawPointer(source)
        for i in 0..<steps {
            let x0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            let x1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let x2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            let x3 = p.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            let w0 = SIMD16<Float>(repeating: rows.0[i])
            c00.addProduct(x0, w0)
            c01.addProduct(x1, w0)
            c02.addProduct(x2, w0)
            c03.addProduct(x3, w0)
            let w1 = SIMD16<Float>(repeating: rows.1[i])
            c10.addProduct(x0, w1)
            c11.addProduct(x1, w1)
            c12.addProduct(x2, w1)
            c13.addProduct(x3, w1)
            let w2 = SIMD16<Float>(repeating: rows.2[i])
            c20.addProduct(x0, w2)
            c21.addProduct(x1, w2)
            c22.addProduct(x2, w2)
            c23.addProduct(x3, w2)
            let w3 = SIMD16<Float>(repeating: rows.3[i])
            c30.addProduct(x0, w3)
            c31.addProduct(x1, w3)
            c32.addProduct(x2, w3)
            c33.addProduct(x3, w3)
            let w4 = SIMD16<Float>(repeating: rows.4[i])
            c40.addProduct(x0, w4)
            c41.addProduct(x1, w4)
            c42.addProduct(x2, w4)
            c43.addProduct(x3, w4)
            let w5 = SIMD16<Float>(repeating: rows.5[i])
            c50.addProduct(x0, w5)
            c51.addProduct(x1, w5)
            c52.addProduct(x2, w5)
            c53.addProduct(x3, w5)
            p += pitch &* 4
        }
        acc[0] = c00
        acc[1] = c01
        acc[2] = c02
        acc[3] = c03
        acc[1 * accStride + 0] = c10
        acc[1 * accStride + 1] = c11
        acc[1 * accStride + 2] = c12
        acc[1 * accStride + 3] = c13
        acc[2 * accStride + 0] = c20
        acc[2 * accStride + 1] = c21
        acc[2 * accStride + 2] = c22
        acc[2 * accStride + 3] = c23
        acc[3 * accStride + 0] = c30
        acc[3 * accStride + 1] = c31
        acc[3 * accStride + 2] = c32
        acc[3 * accStride + 3] = c33
        acc[4 * accStride + 0] = c40
        acc[4 * accStride + 1] = c41
        acc[4 * accStride + 2] = c42
        acc[4 * accStride + 3] = c43
        acc[5 * accStride + 0] = c50
        acc[5 * accStride + 1] = c51
        acc[5 * accStride + 2] = c52
        acc[5 * accStride + 3] = c53
    }

    /// The 48-lane tile (fcs-large's 3 videos × 14 frames): 18 accumulators, where three
    /// 16-lane tiles would have 6 each and broadcast every weight three times.
    @inline(__always)
    package static func rows6x48(
        steps: Int, rows: Rows, source: UnsafePointer<Float>, pitch: Int, acc: UnsafeMutablePointer<SIMD16<Float>>,
        accStride: Int
    ) {
        var c00 = acc[0], c01 = acc[1], c02 = acc[2]
        var c10 = acc[1 * accStride + 0], c11 = acc[1 * accStride + 1], c12 = acc[1 * accStride + 2]
        var c20 = acc[2 * accStride + 0], c21 = acc[2 * accStride + 1], c22 = acc[2 * accStride + 2]
        var c30 = acc[3 * accStride + 0], c31 = acc[3 * accStride + 1], c32 = acc[3 * accStride + 2]
        var c40 = acc[4 * accStride + 0], c41 = acc[4 * accStride + 1], c42 = acc[4 * accStride + 2]
        var c50 = acc[5 * accStride + 0], c51 = acc[5 * accStride + 1], c52 = acc[5 * accStride + 2]
        var p = UnsafeRawPointer(source)
        for i in 0..<steps {
            let x0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            let x1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let x2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            let w0 = SIMD16<Float>(repeating: rows.0[i])
            c00.addProduct(x0, w0)
            c01.addProduct(x1, w0)
            c02.addProduct(x2, w0)
            let w1 = SIMD16<Float>(repeating: rows.1[i])
            c10.addProduct(x0, w1)
            c11.addProduct(x1, w1)
            c12.addProduct(x2, w1)
            let w2 = SIMD16<Float>(repeating: rows.2[i])
            c20.addProduct(x0, w2)
            c21.addProduct(x1, w2)
            c22.addProduct(x2, w2)
            let w3 = SIMD16<Float>(repeating: rows.3[i])
            c30.addProduct(x0, w3)
            c31.addProduct(x1, w3)
            c32.addProduct(x2, w3)
            let w4 = SIMD16<Float>(repeating: rows.4[i])
            c40.addProduct(x0, w4)
            c41.addProduct(x1, w4)
            c42.addProduct(x2, w4)
            let w5 = SIMD16<Float>(repeating: rows.5[i])
            c50.addProduct(x0, w5)
            c51.addProduct(x1, w5)
            c52.addProduct(x2, w5)
            p += pitch &* 4
        }
        acc[0] = c00
        acc[1] = c01
        acc[2] = c02
        acc[1 * accStride + 0] = c10
        acc[1 * accStride + 1] = c11
        acc[1 * accStride + 2] = c12
        acc[2 * accStride + 0] = c20
        acc[2 * accStride + 1] = c21
        acc[2 * accStride + 2] = c22
        acc[3 * accStride + 0] = c30
        acc[3 * accStride + 1] = c31
        acc[3 * accStride + 2] = c32
        acc[4 * accStride + 0] = c40
        acc[4 * accStride + 1] = c41
        acc[4 * accStride + 2] = c42
        acc[5 * accStride + 0] = c50
        acc[5 * accStride + 1] = c51
        acc[5 * accStride + 2] = c52
    }

    @inline(__always)
    package static func rows6x16(
        steps: Int, rows: Rows, source: UnsafePointer<Float>, pitch: Int, acc: UnsafeMutablePointer<SIMD16<Float>>,
        accStride: Int
    ) {
        var c0 = acc[0], c1 = acc[1 * accStride], c2 = acc[2 * accStride], c3 = acc[3 * accStride], c4 = acc[4 * accStride], c5 = acc[5 * accStride]
        var p = UnsafeRawPointer(source)
        for i in 0..<steps {
            let x = p.loadUnaligned(as: SIMD16<Float>.self)
            c0.addProduct(x, SIMD16(repeating: rows.0[i]))
            c1.addProduct(x, SIMD16(repeating: rows.1[i]))
            c2.addProduct(x, SIMD16(repeating: rows.2[i]))
            c3.addProduct(x, SIMD16(repeating: rows.3[i]))
            c4.addProduct(x, SIMD16(repeating: rows.4[i]))
            c5.addProduct(x, SIMD16(repeating: rows.5[i]))
            p += pitch &* 4
        }
        acc[0] = c0
        acc[1 * accStride] = c1
        acc[2 * accStride] = c2
        acc[3 * accStride] = c3
        acc[4 * accStride] = c4
        acc[5 * accStride] = c5
    }
}
