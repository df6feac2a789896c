/// Where GEMM's packing reads an operand from: a matrix seen as (outer × depth), where `outer` is
/// the rows of A or the columns of B and `depth` is the shared inner dimension.
///
/// Packing writes k-major micro-panels: panel q holds outer indices
/// `outer.lowerBound + q·width ..< + width`, stored as `depth × width` floats (lane fastest), with
/// lanes beyond the end of `outer` set to zero. Implementations other than strided memory (for
/// example an implicit vol2col view of a video) only need to provide this one function.
package protocol GEMMPanelSource {
    /// Number of outer indices (rows of A, or columns of B).
    var outerCount: Int { get }
    /// The inner (summed) dimension.
    var depth: Int { get }
    /// Packs outer indices `outer` × depths `depths` into micro-panels of `width` lanes at `into`.
    func pack(outer: Range<Int>, depths: Range<Int>, width: Int, into panels: UnsafeMutablePointer<Float>)
}

/// A strided matrix in memory as a panel source: element (o, d) at `base[o·outerStride + d·depthStride]`.
package struct StridedPanels: GEMMPanelSource {
    package let base: UnsafePointer<Float>
    package let outerCount: Int
    package let depth: Int
    package let outerStride: Int
    package let depthStride: Int

    /// A as (rows × columns): outer = rows, depth = columns.
    package init(rowsOf a: MatrixView) {
        base = a.base
        outerCount = a.rows
        depth = a.columns
        outerStride = a.rowStride
        depthStride = a.columnStride
    }

    /// B as (rows × columns): outer = columns, depth = rows.
    package init(columnsOf b: MatrixView) {
        base = b.base
        outerCount = b.columns
        depth = b.rows
        outerStride = b.columnStride
        depthStride = b.rowStride
    }

    @inline(__always)
    package func pack(outer: Range<Int>, depths: Range<Int>, width: Int, into panels: UnsafeMutablePointer<Float>) {
        let kc = depths.count
        var dst = panels
        var start = outer.lowerBound
        while start < outer.upperBound {
            let lanes = min(width, outer.upperBound - start)
            let src = base + start * outerStride + depths.lowerBound * depthStride
            if outerStride == 1 && lanes == width {
                // Lanes contiguous in memory: one row copy per depth step.
                if width == 32 {
                    for d in 0..<kc {
                        let row = UnsafeRawPointer(src + d * depthStride)
                        let out = UnsafeMutableRawPointer(dst + d * 32)
                        out.storeBytes(of: row.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                        out.storeBytes(
                            of: row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self), toByteOffset: 64,
                            as: SIMD16<Float>.self)
                    }
                } else {
                    for d in 0..<kc {
                        (dst + d * width).update(from: src + d * depthStride, count: width)
                    }
                }
            } else if depthStride == 1 {
                // Transposed: each lane is contiguous along depth. Full 32-lane panels go through
                // 16 × 16 register transposes; the rest one element at a time, lane-major reads
                // and depth-major writes (auto-vectorised, this loop became vscatterdps, which is
                // slow on AMD: 44% of a weight-gradient GEMM).
                var d0 = 0
                if width == 32 && lanes == 32 {
                    while d0 + 16 <= kc {
                        transpose16(src + d0, outerStride, dst + d0 * 32, 32)
                        transpose16(src + 16 * outerStride + d0, outerStride, dst + d0 * 32 + 16, 32)
                        d0 += 16
                    }
                } else if width == 12 && lanes == 12 {
                    // B micro-panels of a weight gradient (dYᵀ: 12 channel planes read along
                    // positions): 12 × 16 register transposes instead of 192 scalar copies.
                    while d0 + 16 <= kc {
                        transpose12(src + d0, outerStride, dst + d0 * 12)
                        d0 += 16
                    }
                }
                for d in d0..<kc {
                    let out = dst + d * width
                    for lane in 0..<lanes { out[lane] = src[lane * outerStride + d] }
                }
                if lanes < width { zeroLanes(dst, from: lanes, width: width, depth: kc) }
            } else {
                for d in 0..<kc {
                    let row = src + d * depthStride
                    let out = dst + d * width
                    for lane in 0..<lanes { out[lane] = row[lane * outerStride] }
                    for lane in lanes..<width { out[lane] = 0 }
                }
            }
            dst += kc * width
            start += width
        }
    }
}

/// Sets lanes `from..<width` of every depth step of one micro-panel to zero.
@inline(__always)
func zeroLanes(_ panel: UnsafeMutablePointer<Float>, from lanes: Int, width: Int, depth: Int) {
    for d in 0..<depth {
        (panel + d * width + lanes).update(repeating: 0, count: width - lanes)
    }
}

/// Sixteen SIMD16 rows.
typealias Block16 = (
    SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>,
    SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>,
    SIMD16<Float>, SIMD16<Float>
)

/// out[d·outStride + i] = in[i·inStride + d] for i, d in 0..<16: a 16 × 16 transpose in registers.
@inline(__always)
func transpose16(
    _ input: UnsafePointer<Float>, _ inStride: Int, _ output: UnsafeMutablePointer<Float>, _ outStride: Int
) {
    let v = (
        load16(input, 0), load16(input, inStride), load16(input, 2 * inStride), load16(input, 3 * inStride),
        load16(input, 4 * inStride), load16(input, 5 * inStride), load16(input, 6 * inStride),
        load16(input, 7 * inStride), load16(input, 8 * inStride), load16(input, 9 * inStride),
        load16(input, 10 * inStride), load16(input, 11 * inStride), load16(input, 12 * inStride),
        load16(input, 13 * inStride), load16(input, 14 * inStride), load16(input, 15 * inStride))
    store16(transposed(v), output, outStride)
}

/// out[d·outStride + i] = rows[i][offset + d] for i, d in 0..<16: the transpose of 16 rows that
/// need not be evenly spaced.
@inline(__always)
func transpose16(
    rows: UnsafePointer<UnsafePointer<Float>>, offset: Int, _ output: UnsafeMutablePointer<Float>, _ outStride: Int
) {
    let v = (
        load16(rows[0], offset), load16(rows[1], offset), load16(rows[2], offset), load16(rows[3], offset),
        load16(rows[4], offset), load16(rows[5], offset), load16(rows[6], offset), load16(rows[7], offset),
        load16(rows[8], offset), load16(rows[9], offset), load16(rows[10], offset), load16(rows[11], offset),
        load16(rows[12], offset), load16(rows[13], offset), load16(rows[14], offset), load16(rows[15], offset))
    store16(transposed(v), output, outStride)
}

/// out[d·12 + i] = in[i·inStride + d] for i < 12, d < 16: the transpose of 12 rows of 16 into
/// 16 rows of 12, contiguous. Rows are stored in ascending order as whole vectors, each one's
/// last 4 lanes overwritten by the next row; the last row stores only its 12.
@inline(__always)
func transpose12(_ input: UnsafePointer<Float>, _ inStride: Int, _ output: UnsafeMutablePointer<Float>) {
    let zero = SIMD16<Float>()
    let v = transposed((
        load16(input, 0), load16(input, inStride), load16(input, 2 * inStride), load16(input, 3 * inStride),
        load16(input, 4 * inStride), load16(input, 5 * inStride), load16(input, 6 * inStride),
        load16(input, 7 * inStride), load16(input, 8 * inStride), load16(input, 9 * inStride),
        load16(input, 10 * inStride), load16(input, 11 * inStride), zero, zero, zero, zero))
    store16(v.0, output, 0)
    store16(v.1, output, 12)
    store16(v.2, output, 24)
    store16(v.3, output, 36)
    store16(v.4, output, 48)
    store16(v.5, output, 60)
    store16(v.6, output, 72)
    store16(v.7, output, 84)
    store16(v.8, output, 96)
    store16(v.9, output, 108)
    store16(v.10, output, 120)
    store16(v.11, output, 132)
    store16(v.12, output, 144)
    store16(v.13, output, 156)
    store16(v.14, output, 168)
    let last = v.15
    let low = SIMD8(last[0], last[1], last[2], last[3], last[4], last[5], last[6], last[7])
    UnsafeMutableRawPointer(output + 180).storeBytes(of: low, as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(output + 188).storeBytes(of: SIMD4(last[8], last[9], last[10], last[11]), as: SIMD4<Float>.self)
}

/// Four rounds of even/odd deinterleaving of row pairs: each round rotates the 8-bit index
/// (row, column) right by one bit, so four rounds swap row and column.
@inline(__always)
private func transposed(_ block: Block16) -> Block16 {
    var v = block
    for _ in 0..<4 {
        v = (
            evens(v.0, v.1), evens(v.2, v.3), evens(v.4, v.5), evens(v.6, v.7),
            evens(v.8, v.9), evens(v.10, v.11), evens(v.12, v.13), evens(v.14, v.15),
            odds(v.0, v.1), odds(v.2, v.3), odds(v.4, v.5), odds(v.6, v.7),
            odds(v.8, v.9), odds(v.10, v.11), odds(v.12, v.13), odds(v.14, v.15))
    }
    return v
}

@inline(__always)
private func store16(_ v: Block16, _ output: UnsafeMutablePointer<Float>, _ outStride: Int) {
    store16(v.0, output, 0)
    store16(v.1, output, outStride)
    store16(v.2, output, 2 * outStride)
    store16(v.3, output, 3 * outStride)
    store16(v.4, output, 4 * outStride)
    store16(v.5, output, 5 * outStride)
    store16(v.6, output, 6 * outStride)
    store16(v.7, output, 7 * outStride)
    store16(v.8, output, 8 * outStride)
    store16(v.9, output, 9 * outStride)
    store16(v.10, output, 10 * outStride)
    store16(v.11, output, 11 * outStride)
    store16(v.12, output, 12 * outStride)
    store16(v.13, output, 13 * outStride)
    store16(v.14, output, 14 * outStride)
    store16(v.15, output, 15 * outStride)
}

// Lanes spelled out, so LLVM sees one two-source shuffle (vpermt2ps). `SIMD32.evenHalf` and
// `oddHalf` do the same, but stay calls to the standard library's generic specialization,
// which took 4% of the fcs layer benchmark.
@inline(__always) func evens(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14], b[0], b[2], b[4], b[6], b[8], b[10], b[12], b[14])
}

@inline(__always) private func odds(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[1], a[3], a[5], a[7], a[9], a[11], a[13], a[15], b[1], b[3], b[5], b[7], b[9], b[11], b[13], b[15])
}

@inline(__always) private func load16(_ p: UnsafePointer<Float>, _ offset: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + offset).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always) private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ offset: Int) {
    UnsafeMutableRawPointer(p + offset).storeBytes(of: v, as: SIMD16<Float>.self)
}
