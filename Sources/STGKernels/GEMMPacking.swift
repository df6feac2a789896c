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
                // Transposed: each lane is contiguous along depth; write it down a column of the panel.
                for lane in 0..<lanes {
                    let column = src + lane * outerStride
                    var out = dst + lane
                    for d in 0..<kc {
                        out.pointee = column[d]
                        out += width
                    }
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
