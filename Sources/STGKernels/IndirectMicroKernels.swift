/// Register-tiled micro-kernels of `IndirectConvolution`: A is read straight from a source volume
/// through a table of offsets (one per depth step, Int32 stored as Float bit patterns so the
/// table lives in the Float workspace; the "indirection" of an indirect GEMM), B is a
/// packed weight panel (depth × channels, channels fastest) broadcast lane by lane.
///
/// Lanes are consecutive positions of the source (16 per SIMD16 vector); each depth step is
/// V vector loads, N broadcasts and V·N fused multiply-adds (vfmadd231ps zmm with AVX-512).
package enum IndirectMicroKernels {
    /// Tile of 32 positions × 12 channels: tile[lane + 32·j] = Σ_d source[offsets[d] + lane] · weights[d·12 + j]
    /// (added to the tile's values when `accumulate`). With `secondRow` the lanes 16..<32 are
    /// positions secondRow..<secondRow + 16 instead (two rows of a frame, for row tiles).
    @inline(__always)
    package static func tile32x12(
        depth: Int, offsets: UnsafePointer<Float>, source: UnsafePointer<Float>, weights: UnsafePointer<Float>,
        into tile: UnsafeMutablePointer<Float>, accumulate: Bool = false, secondRow: Int = 16
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
        if accumulate {
            let old = UnsafeRawPointer(tile)
            c0_0 = old.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            c1_0 = old.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c0_1 = old.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c1_1 = old.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            c0_2 = old.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self)
            c1_2 = old.loadUnaligned(fromByteOffset: 320, as: SIMD16<Float>.self)
            c0_3 = old.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self)
            c1_3 = old.loadUnaligned(fromByteOffset: 448, as: SIMD16<Float>.self)
            c0_4 = old.loadUnaligned(fromByteOffset: 512, as: SIMD16<Float>.self)
            c1_4 = old.loadUnaligned(fromByteOffset: 576, as: SIMD16<Float>.self)
            c0_5 = old.loadUnaligned(fromByteOffset: 640, as: SIMD16<Float>.self)
            c1_5 = old.loadUnaligned(fromByteOffset: 704, as: SIMD16<Float>.self)
            c0_6 = old.loadUnaligned(fromByteOffset: 768, as: SIMD16<Float>.self)
            c1_6 = old.loadUnaligned(fromByteOffset: 832, as: SIMD16<Float>.self)
            c0_7 = old.loadUnaligned(fromByteOffset: 896, as: SIMD16<Float>.self)
            c1_7 = old.loadUnaligned(fromByteOffset: 960, as: SIMD16<Float>.self)
            c0_8 = old.loadUnaligned(fromByteOffset: 1024, as: SIMD16<Float>.self)
            c1_8 = old.loadUnaligned(fromByteOffset: 1088, as: SIMD16<Float>.self)
            c0_9 = old.loadUnaligned(fromByteOffset: 1152, as: SIMD16<Float>.self)
            c1_9 = old.loadUnaligned(fromByteOffset: 1216, as: SIMD16<Float>.self)
            c0_10 = old.loadUnaligned(fromByteOffset: 1280, as: SIMD16<Float>.self)
            c1_10 = old.loadUnaligned(fromByteOffset: 1344, as: SIMD16<Float>.self)
            c0_11 = old.loadUnaligned(fromByteOffset: 1408, as: SIMD16<Float>.self)
            c1_11 = old.loadUnaligned(fromByteOffset: 1472, as: SIMD16<Float>.self)
        }
        var w = weights
        for d in 0..<depth {
            let p = UnsafeRawPointer(source + Int(Int32(bitPattern: offsets[d].bitPattern)))
            let a0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            let a1 = p.loadUnaligned(fromByteOffset: 4 * secondRow, as: SIMD16<Float>.self)
            let b0 = SIMD16<Float>(repeating: w[0])
            c0_0.addProduct(a0, b0)
            c1_0.addProduct(a1, b0)
            let b1 = SIMD16<Float>(repeating: w[1])
            c0_1.addProduct(a0, b1)
            c1_1.addProduct(a1, b1)
            let b2 = SIMD16<Float>(repeating: w[2])
            c0_2.addProduct(a0, b2)
            c1_2.addProduct(a1, b2)
            let b3 = SIMD16<Float>(repeating: w[3])
            c0_3.addProduct(a0, b3)
            c1_3.addProduct(a1, b3)
            let b4 = SIMD16<Float>(repeating: w[4])
            c0_4.addProduct(a0, b4)
            c1_4.addProduct(a1, b4)
            let b5 = SIMD16<Float>(repeating: w[5])
            c0_5.addProduct(a0, b5)
            c1_5.addProduct(a1, b5)
            let b6 = SIMD16<Float>(repeating: w[6])
            c0_6.addProduct(a0, b6)
            c1_6.addProduct(a1, b6)
            let b7 = SIMD16<Float>(repeating: w[7])
            c0_7.addProduct(a0, b7)
            c1_7.addProduct(a1, b7)
            let b8 = SIMD16<Float>(repeating: w[8])
            c0_8.addProduct(a0, b8)
            c1_8.addProduct(a1, b8)
            let b9 = SIMD16<Float>(repeating: w[9])
            c0_9.addProduct(a0, b9)
            c1_9.addProduct(a1, b9)
            let b10 = SIMD16<Float>(repeating: w[10])
            c0_10.addProduct(a0, b10)
            c1_10.addProduct(a1, b10)
            let b11 = SIMD16<Float>(repeating: w[11])
            c0_11.addProduct(a0, b11)
            c1_11.addProduct(a1, b11)
            w += 12
        }
        let out = UnsafeMutableRawPointer(tile)
        out.storeBytes(of: c0_0, toByteOffset: 0, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_0, toByteOffset: 64, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_1, toByteOffset: 128, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_1, toByteOffset: 192, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_2, toByteOffset: 256, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_2, toByteOffset: 320, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_3, toByteOffset: 384, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_3, toByteOffset: 448, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_4, toByteOffset: 512, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_4, toByteOffset: 576, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_5, toByteOffset: 640, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_5, toByteOffset: 704, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_6, toByteOffset: 768, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_6, toByteOffset: 832, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_7, toByteOffset: 896, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_7, toByteOffset: 960, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_8, toByteOffset: 1024, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_8, toByteOffset: 1088, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_9, toByteOffset: 1152, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_9, toByteOffset: 1216, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_10, toByteOffset: 1280, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_10, toByteOffset: 1344, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_11, toByteOffset: 1408, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_11, toByteOffset: 1472, as: SIMD16<Float>.self)
    }

    /// Tile of 64 positions × 6 channels: tile[lane + 64·j] = Σ_d source[offsets[d] + lane] · weights[d·6 + j]
    /// (added to the tile's values when `accumulate`). Four vector loads and six broadcasts per 24
    /// fused multiply-adds, like `tile32x12`, for column counts that are multiples of 6 (the
    /// frame-spanning gradients: 30 filters, 54 frames).
    ///
    /// Every 8 depth steps it calls `every8Steps` (the frame-spanning gradients prefetch a few
    /// lines of what their next chunk reads there; see `TapLanesMicroKernels`).
    @inline(__always)
    package static func tile64x6(
        depth: Int, offsets: UnsafePointer<Float>, source: UnsafePointer<Float>, weights: UnsafePointer<Float>,
        into tile: UnsafeMutablePointer<Float>, accumulate: Bool = false, every8Steps: () -> Void = {}
    ) {
        var c0_0 = SIMD16<Float>(), c1_0 = SIMD16<Float>(), c2_0 = SIMD16<Float>(), c3_0 = SIMD16<Float>()
        var c0_1 = SIMD16<Float>(), c1_1 = SIMD16<Float>(), c2_1 = SIMD16<Float>(), c3_1 = SIMD16<Float>()
        var c0_2 = SIMD16<Float>(), c1_2 = SIMD16<Float>(), c2_2 = SIMD16<Float>(), c3_2 = SIMD16<Float>()
        var c0_3 = SIMD16<Float>(), c1_3 = SIMD16<Float>(), c2_3 = SIMD16<Float>(), c3_3 = SIMD16<Float>()
        var c0_4 = SIMD16<Float>(), c1_4 = SIMD16<Float>(), c2_4 = SIMD16<Float>(), c3_4 = SIMD16<Float>()
        var c0_5 = SIMD16<Float>(), c1_5 = SIMD16<Float>(), c2_5 = SIMD16<Float>(), c3_5 = SIMD16<Float>()
        if accumulate {
            let old = UnsafeRawPointer(tile)
            c0_0 = old.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            c1_0 = old.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c2_0 = old.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c3_0 = old.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            c0_1 = old.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self)
            c1_1 = old.loadUnaligned(fromByteOffset: 320, as: SIMD16<Float>.self)
            c2_1 = old.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self)
            c3_1 = old.loadUnaligned(fromByteOffset: 448, as: SIMD16<Float>.self)
            c0_2 = old.loadUnaligned(fromByteOffset: 512, as: SIMD16<Float>.self)
            c1_2 = old.loadUnaligned(fromByteOffset: 576, as: SIMD16<Float>.self)
            c2_2 = old.loadUnaligned(fromByteOffset: 640, as: SIMD16<Float>.self)
            c3_2 = old.loadUnaligned(fromByteOffset: 704, as: SIMD16<Float>.self)
            c0_3 = old.loadUnaligned(fromByteOffset: 768, as: SIMD16<Float>.self)
            c1_3 = old.loadUnaligned(fromByteOffset: 832, as: SIMD16<Float>.self)
            c2_3 = old.loadUnaligned(fromByteOffset: 896, as: SIMD16<Float>.self)
            c3_3 = old.loadUnaligned(fromByteOffset: 960, as: SIMD16<Float>.self)
            c0_4 = old.loadUnaligned(fromByteOffset: 1024, as: SIMD16<Float>.self)
            c1_4 = old.loadUnaligned(fromByteOffset: 1088, as: SIMD16<Float>.self)
            c2_4 = old.loadUnaligned(fromByteOffset: 1152, as: SIMD16<Float>.self)
            c3_4 = old.loadUnaligned(fromByteOffset: 1216, as: SIMD16<Float>.self)
            c0_5 = old.loadUnaligned(fromByteOffset: 1280, as: SIMD16<Float>.self)
            c1_5 = old.loadUnaligned(fromByteOffset: 1344, as: SIMD16<Float>.self)
            c2_5 = old.loadUnaligned(fromByteOffset: 1408, as: SIMD16<Float>.self)
            c3_5 = old.loadUnaligned(fromByteOffset: 1472, as: SIMD16<Float>.self)
        }
        var w = weights
        var d0 = 0
        while d0 < depth {
            every8Steps()
            for d in d0..<min(d0 + 8, depth) {
                let p = UnsafeRawPointer(source + Int(Int32(bitPattern: offsets[d].bitPattern)))
                let a0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
                let a1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                let a2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
                let a3 = p.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
                let b0 = SIMD16<Float>(repeating: w[0])
                c0_0.addProduct(a0, b0)
                c1_0.addProduct(a1, b0)
                c2_0.addProduct(a2, b0)
                c3_0.addProduct(a3, b0)
                let b1 = SIMD16<Float>(repeating: w[1])
                c0_1.addProduct(a0, b1)
                c1_1.addProduct(a1, b1)
                c2_1.addProduct(a2, b1)
                c3_1.addProduct(a3, b1)
                let b2 = SIMD16<Float>(repeating: w[2])
                c0_2.addProduct(a0, b2)
                c1_2.addProduct(a1, b2)
                c2_2.addProduct(a2, b2)
                c3_2.addProduct(a3, b2)
                let b3 = SIMD16<Float>(repeating: w[3])
                c0_3.addProduct(a0, b3)
                c1_3.addProduct(a1, b3)
                c2_3.addProduct(a2, b3)
                c3_3.addProduct(a3, b3)
                let b4 = SIMD16<Float>(repeating: w[4])
                c0_4.addProduct(a0, b4)
                c1_4.addProduct(a1, b4)
                c2_4.addProduct(a2, b4)
                c3_4.addProduct(a3, b4)
                let b5 = SIMD16<Float>(repeating: w[5])
                c0_5.addProduct(a0, b5)
                c1_5.addProduct(a1, b5)
                c2_5.addProduct(a2, b5)
                c3_5.addProduct(a3, b5)
                w += 6
            }
            d0 += 8
        }
        let out = UnsafeMutableRawPointer(tile)
        out.storeBytes(of: c0_0, toByteOffset: 0, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_0, toByteOffset: 64, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_0, toByteOffset: 128, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_0, toByteOffset: 192, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_1, toByteOffset: 256, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_1, toByteOffset: 320, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_1, toByteOffset: 384, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_1, toByteOffset: 448, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_2, toByteOffset: 512, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_2, toByteOffset: 576, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_2, toByteOffset: 640, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_2, toByteOffset: 704, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_3, toByteOffset: 768, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_3, toByteOffset: 832, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_3, toByteOffset: 896, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_3, toByteOffset: 960, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_4, toByteOffset: 1024, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_4, toByteOffset: 1088, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_4, toByteOffset: 1152, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_4, toByteOffset: 1216, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_5, toByteOffset: 1280, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_5, toByteOffset: 1344, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_5, toByteOffset: 1408, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_5, toByteOffset: 1472, as: SIMD16<Float>.self)
    }

    /// Tile of 16 positions × 12 channels, laid out as `tile32x12`'s first 16 lanes (a one-row tile):
    /// tile[lane + 32·j] = Σ_d source[offsets[d] + lane] · weights[d·12 + j] for lane < 16 (added to
    /// the tile's values when `accumulate`).
    @inline(__always)
    package static func tile16x12(
        depth: Int, offsets: UnsafePointer<Float>, source: UnsafePointer<Float>, weights: UnsafePointer<Float>,
        into tile: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
        var c4 = SIMD16<Float>(), c5 = SIMD16<Float>(), c6 = SIMD16<Float>(), c7 = SIMD16<Float>()
        var c8 = SIMD16<Float>(), c9 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        let out = UnsafeMutableRawPointer(tile)
        if accumulate {
            c0 = out.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            c1 = out.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c2 = out.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self)
            c3 = out.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self)
            c4 = out.loadUnaligned(fromByteOffset: 512, as: SIMD16<Float>.self)
            c5 = out.loadUnaligned(fromByteOffset: 640, as: SIMD16<Float>.self)
            c6 = out.loadUnaligned(fromByteOffset: 768, as: SIMD16<Float>.self)
            c7 = out.loadUnaligned(fromByteOffset: 896, as: SIMD16<Float>.self)
            c8 = out.loadUnaligned(fromByteOffset: 1024, as: SIMD16<Float>.self)
            c9 = out.loadUnaligned(fromByteOffset: 1152, as: SIMD16<Float>.self)
            c10 = out.loadUnaligned(fromByteOffset: 1280, as: SIMD16<Float>.self)
            c11 = out.loadUnaligned(fromByteOffset: 1408, as: SIMD16<Float>.self)
        }
        var w = weights
        for d in 0..<depth {
            let p = UnsafeRawPointer(source + Int(Int32(bitPattern: offsets[d].bitPattern)))
            let a = p.loadUnaligned(as: SIMD16<Float>.self)
            c0.addProduct(a, SIMD16<Float>(repeating: w[0]))
            c1.addProduct(a, SIMD16<Float>(repeating: w[1]))
            c2.addProduct(a, SIMD16<Float>(repeating: w[2]))
            c3.addProduct(a, SIMD16<Float>(repeating: w[3]))
            c4.addProduct(a, SIMD16<Float>(repeating: w[4]))
            c5.addProduct(a, SIMD16<Float>(repeating: w[5]))
            c6.addProduct(a, SIMD16<Float>(repeating: w[6]))
            c7.addProduct(a, SIMD16<Float>(repeating: w[7]))
            c8.addProduct(a, SIMD16<Float>(repeating: w[8]))
            c9.addProduct(a, SIMD16<Float>(repeating: w[9]))
            c10.addProduct(a, SIMD16<Float>(repeating: w[10]))
            c11.addProduct(a, SIMD16<Float>(repeating: w[11]))
            w += 12
        }
        out.storeBytes(of: c0, toByteOffset: 0, as: SIMD16<Float>.self)
        out.storeBytes(of: c1, toByteOffset: 128, as: SIMD16<Float>.self)
        out.storeBytes(of: c2, toByteOffset: 256, as: SIMD16<Float>.self)
        out.storeBytes(of: c3, toByteOffset: 384, as: SIMD16<Float>.self)
        out.storeBytes(of: c4, toByteOffset: 512, as: SIMD16<Float>.self)
        out.storeBytes(of: c5, toByteOffset: 640, as: SIMD16<Float>.self)
        out.storeBytes(of: c6, toByteOffset: 768, as: SIMD16<Float>.self)
        out.storeBytes(of: c7, toByteOffset: 896, as: SIMD16<Float>.self)
        out.storeBytes(of: c8, toByteOffset: 1024, as: SIMD16<Float>.self)
        out.storeBytes(of: c9, toByteOffset: 1152, as: SIMD16<Float>.self)
        out.storeBytes(of: c10, toByteOffset: 1280, as: SIMD16<Float>.self)
        out.storeBytes(of: c11, toByteOffset: 1408, as: SIMD16<Float>.self)
    }

    /// Tile of 128 positions × 3 channels: tile[lane + 128·j] = Σ_d source[offsets[d] + lane] · weights[d·3 + j]
    /// (added to the tile's values when `accumulate`).
    @inline(__always)
    package static func tile128x3(
        depth: Int, offsets: UnsafePointer<Float>, source: UnsafePointer<Float>, weights: UnsafePointer<Float>,
        into tile: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        var c0_0 = SIMD16<Float>(), c1_0 = SIMD16<Float>(), c2_0 = SIMD16<Float>(), c3_0 = SIMD16<Float>(), c4_0 = SIMD16<Float>(), c5_0 = SIMD16<Float>(), c6_0 = SIMD16<Float>(), c7_0 = SIMD16<Float>()
        var c0_1 = SIMD16<Float>(), c1_1 = SIMD16<Float>(), c2_1 = SIMD16<Float>(), c3_1 = SIMD16<Float>(), c4_1 = SIMD16<Float>(), c5_1 = SIMD16<Float>(), c6_1 = SIMD16<Float>(), c7_1 = SIMD16<Float>()
        var c0_2 = SIMD16<Float>(), c1_2 = SIMD16<Float>(), c2_2 = SIMD16<Float>(), c3_2 = SIMD16<Float>(), c4_2 = SIMD16<Float>(), c5_2 = SIMD16<Float>(), c6_2 = SIMD16<Float>(), c7_2 = SIMD16<Float>()
        if accumulate {
            let old = UnsafeRawPointer(tile)
            c0_0 = old.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            c1_0 = old.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c2_0 = old.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c3_0 = old.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            c4_0 = old.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self)
            c5_0 = old.loadUnaligned(fromByteOffset: 320, as: SIMD16<Float>.self)
            c6_0 = old.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self)
            c7_0 = old.loadUnaligned(fromByteOffset: 448, as: SIMD16<Float>.self)
            c0_1 = old.loadUnaligned(fromByteOffset: 512, as: SIMD16<Float>.self)
            c1_1 = old.loadUnaligned(fromByteOffset: 576, as: SIMD16<Float>.self)
            c2_1 = old.loadUnaligned(fromByteOffset: 640, as: SIMD16<Float>.self)
            c3_1 = old.loadUnaligned(fromByteOffset: 704, as: SIMD16<Float>.self)
            c4_1 = old.loadUnaligned(fromByteOffset: 768, as: SIMD16<Float>.self)
            c5_1 = old.loadUnaligned(fromByteOffset: 832, as: SIMD16<Float>.self)
            c6_1 = old.loadUnaligned(fromByteOffset: 896, as: SIMD16<Float>.self)
            c7_1 = old.loadUnaligned(fromByteOffset: 960, as: SIMD16<Float>.self)
            c0_2 = old.loadUnaligned(fromByteOffset: 1024, as: SIMD16<Float>.self)
            c1_2 = old.loadUnaligned(fromByteOffset: 1088, as: SIMD16<Float>.self)
            c2_2 = old.loadUnaligned(fromByteOffset: 1152, as: SIMD16<Float>.self)
            c3_2 = old.loadUnaligned(fromByteOffset: 1216, as: SIMD16<Float>.self)
            c4_2 = old.loadUnaligned(fromByteOffset: 1280, as: SIMD16<Float>.self)
            c5_2 = old.loadUnaligned(fromByteOffset: 1344, as: SIMD16<Float>.self)
            c6_2 = old.loadUnaligned(fromByteOffset: 1408, as: SIMD16<Float>.self)
            c7_2 = old.loadUnaligned(fromByteOffset: 1472, as: SIMD16<Float>.self)
        }
        var w = weights
        for d in 0..<depth {
            let p = UnsafeRawPointer(source + Int(Int32(bitPattern: offsets[d].bitPattern)))
            let b0 = SIMD16<Float>(repeating: w[0])
            let b1 = SIMD16<Float>(repeating: w[1])
            let b2 = SIMD16<Float>(repeating: w[2])
            let a0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            c0_0.addProduct(a0, b0)
            c0_1.addProduct(a0, b1)
            c0_2.addProduct(a0, b2)
            let a1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c1_0.addProduct(a1, b0)
            c1_1.addProduct(a1, b1)
            c1_2.addProduct(a1, b2)
            let a2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c2_0.addProduct(a2, b0)
            c2_1.addProduct(a2, b1)
            c2_2.addProduct(a2, b2)
            let a3 = p.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            c3_0.addProduct(a3, b0)
            c3_1.addProduct(a3, b1)
            c3_2.addProduct(a3, b2)
            let a4 = p.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self)
            c4_0.addProduct(a4, b0)
            c4_1.addProduct(a4, b1)
            c4_2.addProduct(a4, b2)
            let a5 = p.loadUnaligned(fromByteOffset: 320, as: SIMD16<Float>.self)
            c5_0.addProduct(a5, b0)
            c5_1.addProduct(a5, b1)
            c5_2.addProduct(a5, b2)
            let a6 = p.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self)
            c6_0.addProduct(a6, b0)
            c6_1.addProduct(a6, b1)
            c6_2.addProduct(a6, b2)
            let a7 = p.loadUnaligned(fromByteOffset: 448, as: SIMD16<Float>.self)
            c7_0.addProduct(a7, b0)
            c7_1.addProduct(a7, b1)
            c7_2.addProduct(a7, b2)
            w += 3
        }
        let out = UnsafeMutableRawPointer(tile)
        out.storeBytes(of: c0_0, toByteOffset: 0, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_0, toByteOffset: 64, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_0, toByteOffset: 128, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_0, toByteOffset: 192, as: SIMD16<Float>.self)
        out.storeBytes(of: c4_0, toByteOffset: 256, as: SIMD16<Float>.self)
        out.storeBytes(of: c5_0, toByteOffset: 320, as: SIMD16<Float>.self)
        out.storeBytes(of: c6_0, toByteOffset: 384, as: SIMD16<Float>.self)
        out.storeBytes(of: c7_0, toByteOffset: 448, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_1, toByteOffset: 512, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_1, toByteOffset: 576, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_1, toByteOffset: 640, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_1, toByteOffset: 704, as: SIMD16<Float>.self)
        out.storeBytes(of: c4_1, toByteOffset: 768, as: SIMD16<Float>.self)
        out.storeBytes(of: c5_1, toByteOffset: 832, as: SIMD16<Float>.self)
        out.storeBytes(of: c6_1, toByteOffset: 896, as: SIMD16<Float>.self)
        out.storeBytes(of: c7_1, toByteOffset: 960, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_2, toByteOffset: 1024, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_2, toByteOffset: 1088, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_2, toByteOffset: 1152, as: SIMD16<Float>.self)
        out.storeBytes(of: c3_2, toByteOffset: 1216, as: SIMD16<Float>.self)
        out.storeBytes(of: c4_2, toByteOffset: 1280, as: SIMD16<Float>.self)
        out.storeBytes(of: c5_2, toByteOffset: 1344, as: SIMD16<Float>.self)
        out.storeBytes(of: c6_2, toByteOffset: 1408, as: SIMD16<Float>.self)
        out.storeBytes(of: c7_2, toByteOffset: 1472, as: SIMD16<Float>.self)
    }

    /// Tile of 48 positions × 3 channels, for the tail of a frame after its 128-lane tiles:
    /// tile[lane + tileStride·j] = Σ_d source[offsets[d] + lane] · weights[d·3 + j] for lane < 48
    /// (added to the tile's values when `accumulate`). Nine accumulators keep both FMA pipes fed.
    @inline(__always)
    package static func tile48x3(
        depth: Int, offsets: UnsafePointer<Float>, source: UnsafePointer<Float>, weights: UnsafePointer<Float>,
        into tile: UnsafeMutablePointer<Float>, tileStride: Int, accumulate: Bool = false
    ) {
        var c0_0 = SIMD16<Float>(), c1_0 = SIMD16<Float>(), c2_0 = SIMD16<Float>()
        var c0_1 = SIMD16<Float>(), c1_1 = SIMD16<Float>(), c2_1 = SIMD16<Float>()
        var c0_2 = SIMD16<Float>(), c1_2 = SIMD16<Float>(), c2_2 = SIMD16<Float>()
        let out = UnsafeMutableRawPointer(tile)
        let row = tileStride * 4
        if accumulate {
            c0_0 = out.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            c1_0 = out.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c2_0 = out.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c0_1 = out.loadUnaligned(fromByteOffset: row, as: SIMD16<Float>.self)
            c1_1 = out.loadUnaligned(fromByteOffset: row + 64, as: SIMD16<Float>.self)
            c2_1 = out.loadUnaligned(fromByteOffset: row + 128, as: SIMD16<Float>.self)
            c0_2 = out.loadUnaligned(fromByteOffset: 2 * row, as: SIMD16<Float>.self)
            c1_2 = out.loadUnaligned(fromByteOffset: 2 * row + 64, as: SIMD16<Float>.self)
            c2_2 = out.loadUnaligned(fromByteOffset: 2 * row + 128, as: SIMD16<Float>.self)
        }
        var w = weights
        for d in 0..<depth {
            let p = UnsafeRawPointer(source + Int(Int32(bitPattern: offsets[d].bitPattern)))
            let b0 = SIMD16<Float>(repeating: w[0])
            let b1 = SIMD16<Float>(repeating: w[1])
            let b2 = SIMD16<Float>(repeating: w[2])
            let a0 = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            c0_0.addProduct(a0, b0)
            c0_1.addProduct(a0, b1)
            c0_2.addProduct(a0, b2)
            let a1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c1_0.addProduct(a1, b0)
            c1_1.addProduct(a1, b1)
            c1_2.addProduct(a1, b2)
            let a2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c2_0.addProduct(a2, b0)
            c2_1.addProduct(a2, b1)
            c2_2.addProduct(a2, b2)
            w += 3
        }
        out.storeBytes(of: c0_0, toByteOffset: 0, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_0, toByteOffset: 64, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_0, toByteOffset: 128, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_1, toByteOffset: row, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_1, toByteOffset: row + 64, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_1, toByteOffset: row + 128, as: SIMD16<Float>.self)
        out.storeBytes(of: c0_2, toByteOffset: 2 * row, as: SIMD16<Float>.self)
        out.storeBytes(of: c1_2, toByteOffset: 2 * row + 64, as: SIMD16<Float>.self)
        out.storeBytes(of: c2_2, toByteOffset: 2 * row + 128, as: SIMD16<Float>.self)
    }
}
