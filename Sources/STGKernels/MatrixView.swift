/// A read-only view of a Float matrix with arbitrary strides: element (row, column) lives at
/// `base[row · rowStride + column · columnStride]`.
///
/// A transposed operand is the same memory with the two strides swapped, so GEMM never copies
/// a matrix to transpose it (its packing reads any strides).
package struct MatrixView {
    package let base: UnsafePointer<Float>
    package let rows: Int
    package let columns: Int
    package let rowStride: Int
    package let columnStride: Int

    package init(_ base: UnsafePointer<Float>, rows: Int, columns: Int, rowStride: Int, columnStride: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    /// A row-major matrix (rows × columns, rows `columns` apart).
    package static func rowMajor(_ base: UnsafePointer<Float>, rows: Int, columns: Int) -> MatrixView {
        MatrixView(base, rows: rows, columns: columns, rowStride: columns, columnStride: 1)
    }

    /// The transpose: the same memory read with rows and columns exchanged.
    package var transposed: MatrixView {
        MatrixView(base, rows: columns, columns: rows, rowStride: columnStride, columnStride: rowStride)
    }
}

/// A writable matrix view with arbitrary strides (see `MatrixView`).
package struct MutableMatrixView {
    package let base: UnsafeMutablePointer<Float>
    package let rows: Int
    package let columns: Int
    package let rowStride: Int
    package let columnStride: Int

    package init(
        _ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int, columnStride: Int
    ) {
        self.base = base
        self.rows = rows
        self.columns = columns
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    /// A row-major matrix (rows × columns, rows `columns` apart).
    package static func rowMajor(_ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int) -> MutableMatrixView {
        MutableMatrixView(base, rows: rows, columns: columns, rowStride: columns, columnStride: 1)
    }

    /// The transpose: the same memory read with rows and columns exchanged.
    package var transposed: MutableMatrixView {
        MutableMatrixView(base, rows: columns, columns: rows, rowStride: columnStride, columnStride: rowStride)
    }
}
