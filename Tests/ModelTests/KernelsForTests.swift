import STGConvNet
import STGKernels

/// The kernels training uses by default, tested next to the reference.
let defaultKernelsForTests: any Conv3dKernels = defaultKernels
