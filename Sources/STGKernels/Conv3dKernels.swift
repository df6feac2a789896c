/// The seam between the model and the convolution implementations.
///
/// Every implementation computes the same three ops on a batch of `videos` videos with the shape
/// of `geometry` (see `Conv3dGeometry` for the layouts):
/// - `forward`: output = conv(input, weight) + bias, **overwriting** output (no ReLU).
/// - `backwardData`: gradInput = convᵀ(gradOutput, weight), **overwriting** gradInput.
/// - `backwardWeight`: gradWeight += Σ_videos corr(input, gradOutput), gradBias += Σ gradOutput;
///   **accumulating** into both.
///
/// Buffers are batch-major (video n starts at n × the per-video count). `workspace` holds at least
/// `workspaceCount(geometry:videos:)` floats of scratch space owned by the caller, so that no op
/// allocates. The reference implementation (`ReferenceConv3d`) is the algorithmic definition;
/// fast ones are tested against it.
package protocol Conv3dKernels: Sendable {
    /// A short name for benchmarks and logs.
    var name: String { get }

    /// Scratch floats an op on this geometry and batch needs.
    func workspaceCount(geometry: Conv3dGeometry, videos: Int) -> Int

    func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        into output: UnsafeMutablePointer<Float>)

    func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        into gradInput: UnsafeMutablePointer<Float>)

    func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>)
}
