import STGKernels
import STGTensor
import XCTest

/// The packed GEMM against a naive triple loop (in Double) on odd sizes and strided operands.
final class GEMMTests: XCTestCase {
    /// C = A·B (+ C0) by the definition, with operands read through the same strides.
    private func naive(
        m: Int, n: Int, k: Int, a: [Float], aStrides: (Int, Int), b: [Float], bStrides: (Int, Int),
        start: [Float]?
    ) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = Double(start?[i * n + j] ?? 0)
                for p in 0..<k {
                    sum += Double(a[i * aStrides.0 + p * aStrides.1]) * Double(b[p * bStrides.0 + j * bStrides.1])
                }
                c[i * n + j] = Float(sum)
            }
        }
        return c
    }

    /// Runs one product: A (m×k) and B (k×n) stored transposed or not, C row-major (m × n) or
    /// column-major, with or without accumulation, on `threads` threads.
    private func check(
        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, columnMajorC: Bool, accumulate: Bool,
        threads: Int, file: StaticString = #filePath, line: UInt = #line
    ) {
        let a = randomValues(m * k, seed: UInt64(m * 31 + k))
        let b = randomValues(k * n, seed: UInt64(n * 17 + k + 1))
        let aStrides = transposeA ? (1, m) : (k, 1)
        let bStrides = transposeB ? (1, k) : (n, 1)
        let start = accumulate ? randomValues(m * n, seed: 99) : nil
        let expected = naive(m: m, n: n, k: k, a: a, aStrides: aStrides, b: b, bStrides: bStrides, start: start)

        // C stored column-major when asked; compared in row-major order.
        var c = [Float](repeating: .nan, count: m * n)
        let cStrides = columnMajorC ? (1, m) : (n, 1)
        if let start {
            for i in 0..<m { for j in 0..<n { c[i * cStrides.0 + j * cStrides.1] = start[i * n + j] } }
        }
        let wsCount = GEMM.workspaceCount(m: m, n: n, k: k, threads: threads)
        var workspace = [Float](repeating: .nan, count: wsCount)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    workspace.withUnsafeMutableBufferPointer { ws in
                        withThreads(threads) {
                            GEMM.multiply(
                                MatrixView(ap.baseAddress!, rows: m, columns: k, rowStride: aStrides.0, columnStride: aStrides.1),
                                MatrixView(bp.baseAddress!, rows: k, columns: n, rowStride: bStrides.0, columnStride: bStrides.1),
                                into: MutableMatrixView(
                                    cp.baseAddress!, rows: m, columns: n, rowStride: cStrides.0, columnStride: cStrides.1),
                                accumulate: accumulate, threads: threads, workspace: ws.baseAddress!)
                        }
                    }
                }
            }
        }
        var actual = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { actual[i * n + j] = c[i * cStrides.0 + j * cStrides.1] } }
        assertClose(
            actual, expected, tolerance: 1e-5, scale: Double(k).squareRoot(),
            "GEMM \(m)×\(n)×\(k) tA \(transposeA) tB \(transposeB) colC \(columnMajorC) acc \(accumulate) threads \(threads)",
            file: file, line: line)
    }

    func testOddSizesAllLayouts() {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for columnMajorC in [false, true] {
                    check(m: 37, n: 29, k: 45, transposeA: transposeA, transposeB: transposeB,
                          columnMajorC: columnMajorC, accumulate: false, threads: 1)
                }
            }
        }
    }

    /// Sizes that cross every block edge (rows > 384, depth > 256, partial 32 × 12 tiles).
    func testBlockEdgesAndThreads() {
        for threads in [1, 2, 3] {
            check(m: 413, n: 53, k: 301, transposeA: true, transposeB: false, columnMajorC: true,
                  accumulate: true, threads: threads)
            check(m: 61, n: 131, k: 259, transposeA: false, transposeB: true, columnMajorC: false,
                  accumulate: false, threads: threads)
        }
    }

    /// Few rows and columns with a long depth: the depth is split across threads.
    func testLongDepthSplit() {
        for accumulate in [false, true] {
            check(m: 5, n: 7, k: 5000, transposeA: false, transposeB: false, columnMajorC: true,
                  accumulate: accumulate, threads: 2)
        }
    }

    /// A single tile of C with a long depth splits the depth into fixed chunks: the result is
    /// bit-identical on any number of threads.
    func testLongDepthIsThreadIndependent() {
        let (m, n, k) = (7, 5, 9000)
        let a = randomValues(m * k, seed: 11)
        let b = randomValues(k * n, seed: 12)
        let results = [1, 2, 3].map { threads -> [Float] in
            var c = [Float](repeating: 0, count: m * n)
            var ws = [Float](repeating: 0, count: GEMM.workspaceCount(m: m, n: n, k: k, threads: threads))
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        ws.withUnsafeMutableBufferPointer { w in
                            withThreads(threads) {
                                GEMM.multiply(
                                    .rowMajor(ap.baseAddress!, rows: m, columns: k), .rowMajor(bp.baseAddress!, rows: k, columns: n),
                                    into: .rowMajor(cp.baseAddress!, rows: m, columns: n), accumulate: false, threads: threads,
                                    workspace: w.baseAddress!)
                            }
                        }
                    }
                }
            }
            return c
        }
        XCTAssertEqual(results[1].map(\.bitPattern), results[0].map(\.bitPattern))
        XCTAssertEqual(results[2].map(\.bitPattern), results[0].map(\.bitPattern))
    }

    func testHandComputed() {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [7, 8, 9, 10, 11, 12]
        var c = [Float](repeating: 0, count: 4)
        var ws = [Float](repeating: 0, count: GEMM.workspaceCount(m: 2, n: 2, k: 3, threads: 1))
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    ws.withUnsafeMutableBufferPointer { w in
                        GEMM.multiply(
                            .rowMajor(ap.baseAddress!, rows: 2, columns: 3), .rowMajor(bp.baseAddress!, rows: 3, columns: 2),
                            into: .rowMajor(cp.baseAddress!, rows: 2, columns: 2), accumulate: false, threads: 1,
                            workspace: w.baseAddress!)
                    }
                }
            }
        }
        XCTAssertEqual(c, [58, 64, 139, 154])
    }
}
