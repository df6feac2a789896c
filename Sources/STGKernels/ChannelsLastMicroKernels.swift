/// Register-tiled micro-kernels of `ChannelsLastConv3d`: lanes run along channels (16 per SIMD16
/// vector), read from a packed panel at a fixed stride per depth step; the other side of the
/// tile is a few positions, each read as one scalar per depth step from its own contiguous run
/// (channels-last data) and broadcast. Each depth step is V vector loads, N broadcasts and V·N
/// fused multiply-adds (vfmadd231ps zmm with AVX-512).
package enum ChannelsLastMicroKernels {
    /// 48 channels × 8 positions: acc[v·8 + j] += Σ_d panel[d·panelStride + 16v ..< +16] · x_j[d]
    /// for v in 0..<3, j in 0..<8, d in 0..<depth (`acc` holds 24 SIMD16, loaded and stored).
    @inline(__always)
    package static func tile48x8(
        depth: Int, panel: UnsafePointer<Float>, panelStride: Int,
        x0: UnsafePointer<Float>, x1: UnsafePointer<Float>, x2: UnsafePointer<Float>, x3: UnsafePointer<Float>,
        x4: UnsafePointer<Float>, x5: UnsafePointer<Float>, x6: UnsafePointer<Float>, x7: UnsafePointer<Float>,
        acc: UnsafeMutablePointer<SIMD16<Float>>
    ) {
        var a00 = acc[0], a01 = acc[1], a02 = acc[2], a03 = acc[3]
        var a04 = acc[4], a05 = acc[5], a06 = acc[6], a07 = acc[7]
        var a10 = acc[8], a11 = acc[9], a12 = acc[10], a13 = acc[11]
        var a14 = acc[12], a15 = acc[13], a16 = acc[14], a17 = acc[15]
        var a20 = acc[16], a21 = acc[17], a22 = acc[18], a23 = acc[19]
        var a24 = acc[20], a25 = acc[21], a26 = acc[22], a27 = acc[23]
        var p = UnsafeRawPointer(panel)
        let step = panelStride * 4
        for d in 0..<depth {
            let w0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            let w1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let w2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            p += step
            let b0 = SIMD16<Float>(repeating: x0[d])
            a00.addProduct(w0, b0)
            a10.addProduct(w1, b0)
            a20.addProduct(w2, b0)
            let b1 = SIMD16<Float>(repeating: x1[d])
            a01.addProduct(w0, b1)
            a11.addProduct(w1, b1)
            a21.addProduct(w2, b1)
            let b2 = SIMD16<Float>(repeating: x2[d])
            a02.addProduct(w0, b2)
            a12.addProduct(w1, b2)
            a22.addProduct(w2, b2)
            let b3 = SIMD16<Float>(repeating: x3[d])
            a03.addProduct(w0, b3)
            a13.addProduct(w1, b3)
            a23.addProduct(w2, b3)
            let b4 = SIMD16<Float>(repeating: x4[d])
            a04.addProduct(w0, b4)
            a14.addProduct(w1, b4)
            a24.addProduct(w2, b4)
            let b5 = SIMD16<Float>(repeating: x5[d])
            a05.addProduct(w0, b5)
            a15.addProduct(w1, b5)
            a25.addProduct(w2, b5)
            let b6 = SIMD16<Float>(repeating: x6[d])
            a06.addProduct(w0, b6)
            a16.addProduct(w1, b6)
            a26.addProduct(w2, b6)
            let b7 = SIMD16<Float>(repeating: x7[d])
            a07.addProduct(w0, b7)
            a17.addProduct(w1, b7)
            a27.addProduct(w2, b7)
        }
        acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03
        acc[4] = a04; acc[5] = a05; acc[6] = a06; acc[7] = a07
        acc[8] = a10; acc[9] = a11; acc[10] = a12; acc[11] = a13
        acc[12] = a14; acc[13] = a15; acc[14] = a16; acc[15] = a17
        acc[16] = a20; acc[17] = a21; acc[18] = a22; acc[19] = a23
        acc[20] = a24; acc[21] = a25; acc[22] = a26; acc[23] = a27
    }

    /// 64 channels × 6 positions: target_j[16v ..< 16v + 16] += Σ_d panel[d·panelStride + 16v ..< +16]
    /// · x_j[d] for v in 0..<4, j in 0..<6, d in 0..<depth (the sum made in registers, then added
    /// to each target's 64 floats).
    @inline(__always)
    package static func tile64x6(
        depth: Int, panel: UnsafePointer<Float>, panelStride: Int,
        x0: UnsafePointer<Float>, x1: UnsafePointer<Float>, x2: UnsafePointer<Float>,
        x3: UnsafePointer<Float>, x4: UnsafePointer<Float>, x5: UnsafePointer<Float>,
        adding t0: UnsafeMutablePointer<Float>, _ t1: UnsafeMutablePointer<Float>, _ t2: UnsafeMutablePointer<Float>,
        _ t3: UnsafeMutablePointer<Float>, _ t4: UnsafeMutablePointer<Float>, _ t5: UnsafeMutablePointer<Float>
    ) {
        var a00 = SIMD16<Float>(), a01 = SIMD16<Float>(), a02 = SIMD16<Float>()
        var a03 = SIMD16<Float>(), a04 = SIMD16<Float>(), a05 = SIMD16<Float>()
        var a10 = SIMD16<Float>(), a11 = SIMD16<Float>(), a12 = SIMD16<Float>()
        var a13 = SIMD16<Float>(), a14 = SIMD16<Float>(), a15 = SIMD16<Float>()
        var a20 = SIMD16<Float>(), a21 = SIMD16<Float>(), a22 = SIMD16<Float>()
        var a23 = SIMD16<Float>(), a24 = SIMD16<Float>(), a25 = SIMD16<Float>()
        var a30 = SIMD16<Float>(), a31 = SIMD16<Float>(), a32 = SIMD16<Float>()
        var a33 = SIMD16<Float>(), a34 = SIMD16<Float>(), a35 = SIMD16<Float>()
        var p = UnsafeRawPointer(panel)
        let step = panelStride * 4
        for d in 0..<depth {
            let w0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            let w1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let w2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            let w3 = p.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            p += step
            let b0 = SIMD16<Float>(repeating: x0[d])
            a00.addProduct(w0, b0)
            a10.addProduct(w1, b0)
            a20.addProduct(w2, b0)
            a30.addProduct(w3, b0)
            let b1 = SIMD16<Float>(repeating: x1[d])
            a01.addProduct(w0, b1)
            a11.addProduct(w1, b1)
            a21.addProduct(w2, b1)
            a31.addProduct(w3, b1)
            let b2 = SIMD16<Float>(repeating: x2[d])
            a02.addProduct(w0, b2)
            a12.addProduct(w1, b2)
            a22.addProduct(w2, b2)
            a32.addProduct(w3, b2)
            let b3 = SIMD16<Float>(repeating: x3[d])
            a03.addProduct(w0, b3)
            a13.addProduct(w1, b3)
            a23.addProduct(w2, b3)
            a33.addProduct(w3, b3)
            let b4 = SIMD16<Float>(repeating: x4[d])
            a04.addProduct(w0, b4)
            a14.addProduct(w1, b4)
            a24.addProduct(w2, b4)
            a34.addProduct(w3, b4)
            let b5 = SIMD16<Float>(repeating: x5[d])
            a05.addProduct(w0, b5)
            a15.addProduct(w1, b5)
            a25.addProduct(w2, b5)
            a35.addProduct(w3, b5)
        }
        add(a00, a10, a20, a30, into: t0)
        add(a01, a11, a21, a31, into: t1)
        add(a02, a12, a22, a32, into: t2)
        add(a03, a13, a23, a33, into: t3)
        add(a04, a14, a24, a34, into: t4)
        add(a05, a15, a25, a35, into: t5)
    }

    /// target[0 ..< 64] += (v0, v1, v2, v3).
    @inline(__always)
    private static func add(
        _ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ v2: SIMD16<Float>, _ v3: SIMD16<Float>,
        into target: UnsafeMutablePointer<Float>
    ) {
        let t = UnsafeMutableRawPointer(target)
        t.storeBytes(of: t.loadUnaligned(as: SIMD16<Float>.self) + v0, as: SIMD16<Float>.self)
        t.storeBytes(of: t.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) + v1, toByteOffset: 64, as: SIMD16<Float>.self)
        t.storeBytes(of: t.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self) + v2, toByteOffset: 128, as: SIMD16<Float>.self)
        t.storeBytes(of: t.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self) + v3, toByteOffset: 192, as: SIMD16<Float>.self)
    }
}
