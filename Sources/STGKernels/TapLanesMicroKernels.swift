import CPrefetch

/// Micro-kernels of the frame-spanning forward (`FrameSpanningConv3d.forward`): the lanes are
/// (time tap, filter) pairs of one time class, prepared as one row per frame position, and each
/// input frame's value at that position is broadcast against the row.
///
/// acc[f·accStride + v] += Σ_{i < positions} weights[i·pitch + 16·v ..< + 16] · frames[f][i] for
/// v < 6, f < 4 (96 lanes × 4 frames) or v < 4, f < 6 (64 lanes × 6 frames); the accumulators
/// are loaded from and stored back. Either tile does 24 fused multiply-adds per position with
/// 10 loads (6 or 4 vectors and 4 or 6 broadcasts).
///
/// Every 16 positions the kernel also asks for `prefetchLines` cache lines of the `prefetch`
/// stream to be brought into L2 (the rows the next chunk will read): spread this thinly, the
/// requests overlap the arithmetic; issued in bursts between tiles, they did not.
package enum TapLanesMicroKernels {
    @inline(__always)
    package static func lanes96x4(
        positions: Int, weights: UnsafePointer<Float>, pitch: Int, frames: UnsafePointer<UnsafePointer<Float>>,
        acc: UnsafeMutablePointer<SIMD16<Float>>, accStride: Int, prefetch: UnsafePointer<Float>, prefetchLines: Int
    ) {
        var c00 = acc[0], c01 = acc[1], c02 = acc[2]
        var c03 = acc[3], c04 = acc[4], c05 = acc[5]
        var c10 = acc[1 * accStride + 0], c11 = acc[1 * accStride + 1], c12 = acc[1 * accStride + 2]
        var c13 = acc[1 * accStride + 3], c14 = acc[1 * accStride + 4], c15 = acc[1 * accStride + 5]
        var c20 = acc[2 * accStride + 0], c21 = acc[2 * accStride + 1], c22 = acc[2 * accStride + 2]
        var c23 = acc[2 * accStride + 3], c24 = acc[2 * accStride + 4], c25 = acc[2 * accStride + 5]
        var c30 = acc[3 * accStride + 0], c31 = acc[3 * accStride + 1], c32 = acc[3 * accStride + 2]
        var c33 = acc[3 * accStride + 3], c34 = acc[3 * accStride + 4], c35 = acc[3 * accStride + 5]
        let x0 = frames[0], x1 = frames[1], x2 = frames[2], x3 = frames[3]
        var w = UnsafeRawPointer(weights)
        let step = pitch * MemoryLayout<Float>.stride
        var prefetch = prefetch
        var i0 = 0
        while i0 < positions {
            for l in 0..<prefetchLines { stg_prefetch_read_l2(prefetch + 16 * l) }
            prefetch += 16 * prefetchLines
            for i in i0..<min(i0 + 16, positions) {
                let a0 = w.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
                let a1 = w.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                let a2 = w.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
                let a3 = w.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
                let a4 = w.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self)
                let a5 = w.loadUnaligned(fromByteOffset: 320, as: SIMD16<Float>.self)
                w += step
                let b0 = SIMD16<Float>(repeating: x0[i])
                c00.addProduct(a0, b0)
                c01.addProduct(a1, b0)
                c02.addProduct(a2, b0)
                c03.addProduct(a3, b0)
                c04.addProduct(a4, b0)
                c05.addProduct(a5, b0)
                let b1 = SIMD16<Float>(repeating: x1[i])
                c10.addProduct(a0, b1)
                c11.addProduct(a1, b1)
                c12.addProduct(a2, b1)
                c13.addProduct(a3, b1)
                c14.addProduct(a4, b1)
                c15.addProduct(a5, b1)
                let b2 = SIMD16<Float>(repeating: x2[i])
                c20.addProduct(a0, b2)
                c21.addProduct(a1, b2)
                c22.addProduct(a2, b2)
                c23.addProduct(a3, b2)
                c24.addProduct(a4, b2)
                c25.addProduct(a5, b2)
                let b3 = SIMD16<Float>(repeating: x3[i])
                c30.addProduct(a0, b3)
                c31.addProduct(a1, b3)
                c32.addProduct(a2, b3)
                c33.addProduct(a3, b3)
                c34.addProduct(a4, b3)
                c35.addProduct(a5, b3)
            }
            i0 += 16
        }
        acc[0] = c00; acc[1] = c01; acc[2] = c02
        acc[3] = c03; acc[4] = c04; acc[5] = c05
        acc[1 * accStride + 0] = c10; acc[1 * accStride + 1] = c11; acc[1 * accStride + 2] = c12
        acc[1 * accStride + 3] = c13; acc[1 * accStride + 4] = c14; acc[1 * accStride + 5] = c15
        acc[2 * accStride + 0] = c20; acc[2 * accStride + 1] = c21; acc[2 * accStride + 2] = c22
        acc[2 * accStride + 3] = c23; acc[2 * accStride + 4] = c24; acc[2 * accStride + 5] = c25
        acc[3 * accStride + 0] = c30; acc[3 * accStride + 1] = c31; acc[3 * accStride + 2] = c32
        acc[3 * accStride + 3] = c33; acc[3 * accStride + 4] = c34; acc[3 * accStride + 5] = c35
    }

    @inline(__always)
    package static func lanes64x6(
        positions: Int, weights: UnsafePointer<Float>, pitch: Int, frames: UnsafePointer<UnsafePointer<Float>>,
        acc: UnsafeMutablePointer<SIMD16<Float>>, accStride: Int, prefetch: UnsafePointer<Float>, prefetchLines: Int
    ) {
        var c00 = acc[0], c01 = acc[1], c02 = acc[2]
        var c03 = acc[3]
        var c10 = acc[1 * accStride + 0], c11 = acc[1 * accStride + 1], c12 = acc[1 * accStride + 2]
        var c13 = acc[1 * accStride + 3]
        var c20 = acc[2 * accStride + 0], c21 = acc[2 * accStride + 1], c22 = acc[2 * accStride + 2]
        var c23 = acc[2 * accStride + 3]
        var c30 = acc[3 * accStride + 0], c31 = acc[3 * accStride + 1], c32 = acc[3 * accStride + 2]
        var c33 = acc[3 * accStride + 3]
        var c40 = acc[4 * accStride + 0], c41 = acc[4 * accStride + 1], c42 = acc[4 * accStride + 2]
        var c43 = acc[4 * accStride + 3]
        var c50 = acc[5 * accStride + 0], c51 = acc[5 * accStride + 1], c52 = acc[5 * accStride + 2]
        var c53 = acc[5 * accStride + 3]
        let x0 = frames[0], x1 = frames[1], x2 = frames[2], x3 = frames[3], x4 = frames[4], x5 = frames[5]
        var w = UnsafeRawPointer(weights)
        let step = pitch * MemoryLayout<Float>.stride
        var prefetch = prefetch
        var i0 = 0
        while i0 < positions {
            for l in 0..<prefetchLines { stg_prefetch_read_l2(prefetch + 16 * l) }
            prefetch += 16 * prefetchLines
            for i in i0..<min(i0 + 16, positions) {
                let a0 = w.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
                let a1 = w.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                let a2 = w.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
                let a3 = w.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
                w += step
                let b0 = SIMD16<Float>(repeating: x0[i])
                c00.addProduct(a0, b0)
                c01.addProduct(a1, b0)
                c02.addProduct(a2, b0)
                c03.addProduct(a3, b0)
                let b1 = SIMD16<Float>(repeating: x1[i])
                c10.addProduct(a0, b1)
                c11.addProduct(a1, b1)
                c12.addProduct(a2, b1)
                c13.addProduct(a3, b1)
                let b2 = SIMD16<Float>(repeating: x2[i])
                c20.addProduct(a0, b2)
                c21.addProduct(a1, b2)
                c22.addProduct(a2, b2)
                c23.addProduct(a3, b2)
                let b3 = SIMD16<Float>(repeating: x3[i])
                c30.addProduct(a0, b3)
                c31.addProduct(a1, b3)
                c32.addProduct(a2, b3)
                c33.addProduct(a3, b3)
                let b4 = SIMD16<Float>(repeating: x4[i])
                c40.addProduct(a0, b4)
                c41.addProduct(a1, b4)
                c42.addProduct(a2, b4)
                c43.addProduct(a3, b4)
                let b5 = SIMD16<Float>(repeating: x5[i])
                c50.addProduct(a0, b5)
                c51.addProduct(a1, b5)
                c52.addProduct(a2, b5)
                c53.addProduct(a3, b5)
            }
            i0 += 16
        }
        acc[0] = c00; acc[1] = c01; acc[2] = c02
        acc[3] = c03
        acc[1 * accStride + 0] = c10; acc[1 * accStride + 1] = c11; acc[1 * accStride + 2] = c12
        acc[1 * accStride + 3] = c13
        acc[2 * accStride + 0] = c20; acc[2 * accStride + 1] = c21; acc[2 * accStride + 2] = c22
        acc[2 * accStride + 3] = c23
        acc[3 * accStride + 0] = c30; acc[3 * accStride + 1] = c31; acc[3 * accStride + 2] = c32
        acc[3 * accStride + 3] = c33
        acc[4 * accStride + 0] = c40; acc[4 * accStride + 1] = c41; acc[4 * accStride + 2] = c42
        acc[4 * accStride + 3] = c43
        acc[5 * accStride + 0] = c50; acc[5 * accStride + 1] = c51; acc[5 * accStride + 2] = c52
        acc[5 * accStride + 3] = c53
    }
}
