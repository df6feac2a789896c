import STGTensor

/// Everything a learning run needs to continue exactly where it stopped.
public struct TrainingState: Sendable, Equatable {
    /// The network and its current parameters.
    public var net: DescriptorNet
    /// The optimizer, with its moments.
    public var adam: Adam
    /// The options the run was started with (iterations may be raised on resume).
    public var options: TrainingOptions
    /// Learning iterations completed.
    public var iteration: Int
    /// The training mean subtracted from every sample (0–255 scale).
    public var mean: Float
    /// The synthesized chains, mean-subtracted: (M, C, T, H, W).
    public var chains: Tensor
    /// The observed videos, mean-subtracted, with occluded samples at their current recovered
    /// values: (N, C, T, H, W).
    public var observed: Tensor
    /// 1 where a sample of `observed` is occluded (recovered by Langevin), 0 where visible;
    /// nil when the data are complete.
    public var freeMask: Tensor?
}
