/// The convolution implementation the model uses: vol2col + packed SIMD GEMM.
package let defaultConv3dKernels: any Conv3dKernels = GEMMConv3d()
