import STGKernels
import STGTensor
import TestSupport
import XCTest

/// Uniform values in [-1, 1) from a fixed seed.
func randomValues(_ count: Int, seed: UInt64) -> [Float] {
    var rng = Xoshiro256(seed: seed)
    return (0..<count).map { _ in rng.nextOpenUnitFloat() * 2 - 1 }
}

/// Runs `body` with `Parallel.threads` set to `threads`, restoring the previous value.
func withThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
    let saved = Parallel.threads
    Parallel.threads = threads
    defer { Parallel.threads = saved }
    return try body()
}

/// Asserts two arrays agree within `tolerance` relative to max(|a|, |b|, scale), printing the
/// largest difference and the first mismatches when they do not.
func assertClose(
    _ actual: [Float], _ expected: [Float], tolerance: Double, scale: Double = 1, _ message: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    let comparison = ArrayComparison(expected: expected, actual: actual, tolerance: tolerance, scale: scale)
    XCTAssert(comparison.passed, "\(message): \(comparison)", file: file, line: line)
}

/// Convenience wrappers that own their buffers, for tests.
struct ConvRunner {
    let kernels: any Conv3dKernels
    let geometry: Conv3dGeometry
    let videos: Int

    private func withWorkspace<R>(_ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        // 1024 guard floats past the end catch overruns of the declared workspace size.
        let count = kernels.workspaceCount(geometry: geometry, videos: videos)
        var workspace = [Float](repeating: .nan, count: count + 1024)
        for i in count..<count + 1024 { workspace[i] = 12345 }
        let result = workspace.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        precondition(
            workspace[count...].allSatisfy { $0 == 12345 }, "\(kernels.name) wrote past its workspace of \(count) floats")
        return result
    }

    /// Prepared weights of `weight` (NaN-initialised, with guard floats), or nil when not asked for.
    private func withPrepared<R>(_ weight: [Float], _ enabled: Bool, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard enabled else { return body(nil) }
        let count = kernels.preparedCount(geometry: geometry)
        var prepared = [Float](repeating: .nan, count: count + 1024)
        for i in count..<count + 1024 { prepared[i] = 12345 }
        prepared.withUnsafeMutableBufferPointer { kernels.prepare(weight: weight, geometry: geometry, into: $0.baseAddress!) }
        precondition(
            prepared[count...].allSatisfy { $0 == 12345 }, "\(kernels.name) prepared past its \(count) floats")
        return prepared.withUnsafeBufferPointer { body(count > 0 ? $0.baseAddress! : nil) }
    }

    /// forward; with `prepared`, through weights prepared by `Conv3dKernels.prepare`.
    func forward(_ input: [Float], _ weight: [Float], _ bias: [Float], prepared: Bool = false) -> [Float] {
        var output = [Float](repeating: .nan, count: videos * geometry.outputCount)
        withPrepared(weight, prepared) { p in
            withWorkspace { ws in
                output.withUnsafeMutableBufferPointer { out in
                    kernels.forward(
                        input: input, weight: weight, bias: bias, videos: videos, geometry: geometry, prepared: p,
                        workspace: ws, into: out.baseAddress!)
                }
            }
        }
        return output
    }

    /// backwardData; with `prepared`, through weights prepared by `Conv3dKernels.prepare`.
    func backwardData(_ gradOutput: [Float], _ weight: [Float], prepared: Bool = false) -> [Float] {
        var gradInput = [Float](repeating: .nan, count: videos * geometry.inputCount)
        withPrepared(weight, prepared) { p in
            withWorkspace { ws in
                gradInput.withUnsafeMutableBufferPointer { out in
                    kernels.backwardData(
                        gradOutput: gradOutput, weight: weight, videos: videos, geometry: geometry, prepared: p,
                        workspace: ws, into: out.baseAddress!)
                }
            }
        }
        return gradInput
    }

    /// Returns (gradWeight, gradBias) after adding into the given starting values.
    func backwardWeight(
        _ input: [Float], _ gradOutput: [Float], startWeight: [Float]? = nil, startBias: [Float]? = nil
    ) -> ([Float], [Float]) {
        var gradWeight = startWeight ?? [Float](repeating: 0, count: geometry.weightCount)
        var gradBias = startBias ?? [Float](repeating: 0, count: geometry.outputChannels)
        withWorkspace { ws in
            gradWeight.withUnsafeMutableBufferPointer { dw in
                gradBias.withUnsafeMutableBufferPointer { db in
                    kernels.backwardWeight(
                        input: input, gradOutput: gradOutput, videos: videos, geometry: geometry, workspace: ws,
                        addingInto: dw.baseAddress!, gradBias: db.baseAddress!)
                }
            }
        }
        return (gradWeight, gradBias)
    }
}
