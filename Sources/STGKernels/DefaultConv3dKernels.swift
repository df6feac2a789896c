import STGTensor

/// The convolution implementation the model uses: `GEMMConv3d` (indirect convolution, the
/// frame-spanning matrix products, or vol2col + packed SIMD GEMM, chosen per layer and op).
///
/// Its workspace is sized for up to max(`Parallel.threads`, 4) threads (read when this value is
/// first used), so raising `Parallel.threads` later, up to that, needs no new workspace.
package let defaultConv3dKernels: any Conv3dKernels = GEMMConv3d(maxThreads: max(Parallel.threads, 4))
