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
///
/// Prepared weights: what forward and backwardData derive from the weight alone (packed panels,
/// offset tables) can be written once by `prepare` into a caller-owned buffer of
/// `preparedCount(geometry:)` floats and passed as `prepared` to every op of a run in which the
/// weight does not change (the Langevin loop: 40 ops per learning iteration and layer). With
/// `prepared` nil an op derives it itself, in its workspace. Both give bit-identical results.
package protocol Conv3dKernels: Sendable {
    /// A short name for benchmarks and logs.
    var name: String { get }

    /// Scratch floats an op on this geometry and batch needs.
    func workspaceCount(geometry: Conv3dGeometry, videos: Int) -> Int

    /// Floats `prepare` writes for this geometry (0: these kernels derive nothing from the weight).
    func preparedCount(geometry: Conv3dGeometry) -> Int

    /// Writes what forward and backwardData derive from `weight` into `prepared`
    /// (`preparedCount(geometry:)` floats).
    func prepare(weight: UnsafePointer<Float>, geometry: Conv3dGeometry, into prepared: UnsafeMutablePointer<Float>)

    func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>)

    func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into gradInput: UnsafeMutablePointer<Float>)

    func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>)
}

extension Conv3dKernels {
    /// forward without prepared weights.
    package func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        into output: UnsafeMutablePointer<Float>
    ) {
        forward(
            input: input, weight: weight, bias: bias, videos: videos, geometry: geometry, prepared: nil,
            workspace: workspace, into: output)
    }

    /// backwardData without prepared weights.
    package func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        videos: Int, geometry: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        into gradInput: UnsafeMutablePointer<Float>
    ) {
        backwardData(
            gradOutput: gradOutput, weight: weight, videos: videos, geometry: geometry, prepared: nil,
            workspace: workspace, into: gradInput)
    }
}
