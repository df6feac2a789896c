/// The register-tiled core of `GEMM`: a 32 × 12 tile of C held in 24 SIMD16 accumulators.
///
/// With AVX-512 each step is 2 vector loads of A, 12 broadcasts of B and 24 fused multiply-adds
/// (vfmadd231ps zmm); 24 independent accumulators hide the FMA latency on two FMA pipes.
package enum GEMMMicroKernel {
    /// Rows of the tile (the packed A micro-panel width): two SIMD16 vectors.
    package static let rows = 32
    /// Columns of the tile (the packed B micro-panel width).
    package static let columns = 12

    /// The register-tiled inner product: the 32×12 tile T = Σ_p a[p] ⊗ b[p] over `depth` steps.
    ///
    /// `a`: packed A micro-panel (depth, 32), `b`: packed B micro-panel (depth, 12), both k-major.
    /// `c`: the tile's first element; column j starts at c + j·columnStride and holds 32
    /// contiguous rows. Overwrites the tile with T, or adds T to it when `accumulate`.
    @inline(__always)
    package static func microKernel(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, columnStride: Int, accumulate: Bool
    ) {
        var c0_0 = SIMD16<Float>(), c1_0 = SIMD16<Float>()
        var c0_1 = SIMD16<Float>(), c1_1 = SIMD16<Float>()
        var c0_2 = SIMD16<Float>(), c1_2 = SIMD16<Float>()
        var c0_3 = SIMD16<Float>(), c1_3 = SIMD16<Float>()
        var c0_4 = SIMD16<Float>(), c1_4 = SIMD16<Float>()
        var c0_5 = SIMD16<Float>(), c1_5 = SIMD16<Float>()
        var c0_6 = SIMD16<Float>(), c1_6 = SIMD16<Float>()
        var c0_7 = SIMD16<Float>(), c1_7 = SIMD16<Float>()
        var c0_8 = SIMD16<Float>(), c1_8 = SIMD16<Float>()
        var c0_9 = SIMD16<Float>(), c1_9 = SIMD16<Float>()
        var c0_10 = SIMD16<Float>(), c1_10 = SIMD16<Float>()
        var c0_11 = SIMD16<Float>(), c1_11 = SIMD16<Float>()
        var pa = UnsafeRawPointer(a)
        var pb = b
        for _ in 0..<depth {
            let a0 = pa.loadUnaligned(as: SIMD16<Float>.self)
            let a1 = pa.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let b0 = SIMD16<Float>(repeating: pb[0])
            c0_0.addProduct(a0, b0)
            c1_0.addProduct(a1, b0)
            let b1 = SIMD16<Float>(repeating: pb[1])
            c0_1.addProduct(a0, b1)
            c1_1.addProduct(a1, b1)
            let b2 = SIMD16<Float>(repeating: pb[2])
            c0_2.addProduct(a0, b2)
            c1_2.addProduct(a1, b2)
            let b3 = SIMD16<Float>(repeating: pb[3])
            c0_3.addProduct(a0, b3)
            c1_3.addProduct(a1, b3)
            let b4 = SIMD16<Float>(repeating: pb[4])
            c0_4.addProduct(a0, b4)
            c1_4.addProduct(a1, b4)
            let b5 = SIMD16<Float>(repeating: pb[5])
            c0_5.addProduct(a0, b5)
            c1_5.addProduct(a1, b5)
            let b6 = SIMD16<Float>(repeating: pb[6])
            c0_6.addProduct(a0, b6)
            c1_6.addProduct(a1, b6)
            let b7 = SIMD16<Float>(repeating: pb[7])
            c0_7.addProduct(a0, b7)
            c1_7.addProduct(a1, b7)
            let b8 = SIMD16<Float>(repeating: pb[8])
            c0_8.addProduct(a0, b8)
            c1_8.addProduct(a1, b8)
            let b9 = SIMD16<Float>(repeating: pb[9])
            c0_9.addProduct(a0, b9)
            c1_9.addProduct(a1, b9)
            let b10 = SIMD16<Float>(repeating: pb[10])
            c0_10.addProduct(a0, b10)
            c1_10.addProduct(a1, b10)
            let b11 = SIMD16<Float>(repeating: pb[11])
            c0_11.addProduct(a0, b11)
            c1_11.addProduct(a1, b11)
            pa += 128
            pb += 12
        }
        let raw = UnsafeMutableRawPointer(c)
        let stride = columnStride * 4
        if accumulate {
            raw.storeBytes(of: c0_0 + raw.loadUnaligned(fromByteOffset: 0 * stride, as: SIMD16<Float>.self), toByteOffset: 0 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_0 + raw.loadUnaligned(fromByteOffset: 0 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 0 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_1 + raw.loadUnaligned(fromByteOffset: 1 * stride, as: SIMD16<Float>.self), toByteOffset: 1 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_1 + raw.loadUnaligned(fromByteOffset: 1 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 1 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_2 + raw.loadUnaligned(fromByteOffset: 2 * stride, as: SIMD16<Float>.self), toByteOffset: 2 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_2 + raw.loadUnaligned(fromByteOffset: 2 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 2 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_3 + raw.loadUnaligned(fromByteOffset: 3 * stride, as: SIMD16<Float>.self), toByteOffset: 3 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_3 + raw.loadUnaligned(fromByteOffset: 3 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 3 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_4 + raw.loadUnaligned(fromByteOffset: 4 * stride, as: SIMD16<Float>.self), toByteOffset: 4 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_4 + raw.loadUnaligned(fromByteOffset: 4 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 4 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_5 + raw.loadUnaligned(fromByteOffset: 5 * stride, as: SIMD16<Float>.self), toByteOffset: 5 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_5 + raw.loadUnaligned(fromByteOffset: 5 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 5 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_6 + raw.loadUnaligned(fromByteOffset: 6 * stride, as: SIMD16<Float>.self), toByteOffset: 6 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_6 + raw.loadUnaligned(fromByteOffset: 6 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 6 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_7 + raw.loadUnaligned(fromByteOffset: 7 * stride, as: SIMD16<Float>.self), toByteOffset: 7 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_7 + raw.loadUnaligned(fromByteOffset: 7 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 7 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_8 + raw.loadUnaligned(fromByteOffset: 8 * stride, as: SIMD16<Float>.self), toByteOffset: 8 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_8 + raw.loadUnaligned(fromByteOffset: 8 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 8 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_9 + raw.loadUnaligned(fromByteOffset: 9 * stride, as: SIMD16<Float>.self), toByteOffset: 9 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_9 + raw.loadUnaligned(fromByteOffset: 9 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 9 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_10 + raw.loadUnaligned(fromByteOffset: 10 * stride, as: SIMD16<Float>.self), toByteOffset: 10 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_10 + raw.loadUnaligned(fromByteOffset: 10 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 10 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_11 + raw.loadUnaligned(fromByteOffset: 11 * stride, as: SIMD16<Float>.self), toByteOffset: 11 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_11 + raw.loadUnaligned(fromByteOffset: 11 * stride + 64, as: SIMD16<Float>.self), toByteOffset: 11 * stride + 64, as: SIMD16<Float>.self)
        } else {
            raw.storeBytes(of: c0_0, toByteOffset: 0 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_0, toByteOffset: 0 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_1, toByteOffset: 1 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_1, toByteOffset: 1 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_2, toByteOffset: 2 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_2, toByteOffset: 2 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_3, toByteOffset: 3 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_3, toByteOffset: 3 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_4, toByteOffset: 4 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_4, toByteOffset: 4 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_5, toByteOffset: 5 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_5, toByteOffset: 5 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_6, toByteOffset: 6 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_6, toByteOffset: 6 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_7, toByteOffset: 7 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_7, toByteOffset: 7 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_8, toByteOffset: 8 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_8, toByteOffset: 8 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_9, toByteOffset: 9 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_9, toByteOffset: 9 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_10, toByteOffset: 10 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_10, toByteOffset: 10 * stride + 64, as: SIMD16<Float>.self)
            raw.storeBytes(of: c0_11, toByteOffset: 11 * stride, as: SIMD16<Float>.self)
            raw.storeBytes(of: c1_11, toByteOffset: 11 * stride + 64, as: SIMD16<Float>.self)
        }
    }
}
