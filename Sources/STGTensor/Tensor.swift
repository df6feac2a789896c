/// A dense Float32 tensor holding a batch of videos in NCTHW layout (see `TensorShape`).
///
/// A value type with copy-on-write storage. Kernels reach its elements through
/// `withUnsafeBufferPointer` / `withUnsafeMutableBufferPointer`.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: TensorShape
    public var storage: [Float]

    /// A tensor of zeros.
    public init(zeros shape: TensorShape) {
        self.shape = shape
        self.storage = [Float](repeating: 0, count: shape.count)
    }

    /// A tensor over existing values; `storage.count` must equal `shape.count`.
    public init(shape: TensorShape, storage: [Float]) {
        precondition(
            storage.count == shape.count,
            "tensor of shape \(shape) needs \(shape.count) values, got \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// Element (n, c, t, y, x).
    public subscript(n: Int, c: Int, t: Int, y: Int, x: Int) -> Float {
        get { storage[shape.index(n, c, t, y, x)] }
        set { storage[shape.index(n, c, t, y, x)] = newValue }
    }

    /// Video `n` alone, as a tensor with one video.
    public func video(_ n: Int) -> Tensor {
        precondition(n >= 0 && n < shape.videos, "video \(n) out of range 0..<\(shape.videos)")
        let size = shape.videoCount
        return Tensor(shape: shape.with(videos: 1), storage: Array(storage[n * size..<(n + 1) * size]))
    }

    /// Replaces video `n` with the single video in `tensor`.
    public mutating func setVideo(_ n: Int, to tensor: Tensor) {
        precondition(tensor.shape == shape.with(videos: 1), "video shape \(tensor.shape) does not fit \(shape)")
        let size = shape.videoCount
        storage.replaceSubrange(n * size..<(n + 1) * size, with: tensor.storage)
    }

    /// Videos stacked along the first axis; all must have equal shapes apart from `videos`.
    public static func stack(_ tensors: [Tensor]) -> Tensor {
        precondition(!tensors.isEmpty, "stack of no tensors")
        let first = tensors[0].shape.with(videos: 1)
        var total = 0
        var values: [Float] = []
        values.reserveCapacity(tensors.reduce(0) { $0 + $1.shape.count })
        for tensor in tensors {
            precondition(
                tensor.shape.with(videos: 1) == first,
                "cannot stack \(tensor.shape) with \(first)")
            values.append(contentsOf: tensor.storage)
            total += tensor.shape.videos
        }
        return Tensor(shape: first.with(videos: total), storage: values)
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }
}
