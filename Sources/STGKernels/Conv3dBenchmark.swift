import STGTensor

#if canImport(Glibc)
import Glibc
#endif

/// Times the three conv3d ops of one geometry and batch with a given implementation.
///
/// Buffers hold fixed pseudo-random values and are allocated once per call, outside the timed
/// region; each op is run `warmup` times untimed, then `runs` times, and the median is reported.
/// FLOPs count 2 per multiply-add of the dense convolution (padding taps included), the same for
/// all three ops: 2 × videos × `geometry.multiplyAdds`. Forward and backwardData run with
/// prepared weights (`Conv3dKernels.prepare`, done once, untimed), as in the Langevin loop.
package enum Conv3dBenchmark {
    /// One of the three ops of `Conv3dKernels`.
    package enum Op: String, CaseIterable, Sendable, CustomStringConvertible {
        case forward
        case backwardData
        case backwardWeight

        package var description: String { rawValue }
    }

    /// The timing of one op.
    package struct Measurement: Sendable, CustomStringConvertible {
        package let op: Op
        /// Median wall-clock seconds of one call.
        package let seconds: Double
        /// Fastest call, in seconds.
        package let bestSeconds: Double
        /// Median CPU seconds of one call, summed over all threads (wall time on a busy machine
        /// overstates the work; flops / cpuSeconds is the rate per busy core).
        package let cpuSeconds: Double
        /// FLOPs of one call (2 × videos × multiply-adds).
        package let flops: Double
        /// flops / seconds / 1e9 (median).
        package var gigaflops: Double { flops / seconds / 1e9 }

        package var description: String {
            "\(op): \(formatted(seconds * 1e3)) ms, \(formatted(gigaflops)) GFLOP/s"
        }
    }

    /// Measures `ops` (default all three) of `kernels` on `videos` videos of shape `geometry`.
    package static func measure(
        _ kernels: any Conv3dKernels, geometry g: Conv3dGeometry, videos: Int, ops: [Op] = Op.allCases,
        warmup: Int = 1, runs: Int = 5
    ) -> [Measurement] {
        precondition(videos >= 1 && runs >= 1 && warmup >= 0, "bad benchmark settings: videos \(videos), runs \(runs)")
        let inputBuffer = LargeBuffer.allocate(videos * g.inputCount)
        let gradOutputBuffer = LargeBuffer.allocate(videos * g.outputCount)
        let weightBuffer = LargeBuffer.allocate(g.weightCount)
        defer { [inputBuffer, gradOutputBuffer, weightBuffer].forEach { $0.deallocate() } }
        GaussianNoise.fill(inputBuffer, seed: 1, stream: 0)
        GaussianNoise.fill(gradOutputBuffer, seed: 1, stream: 1)
        GaussianNoise.fill(weightBuffer, seed: 1, stream: 2, scale: 0.01)
        let input = UnsafePointer(inputBuffer.baseAddress!)
        let gradOutput = UnsafePointer(gradOutputBuffer.baseAddress!)
        let weight = UnsafePointer(weightBuffer.baseAddress!)
        let bias = [Float](repeating: 0.1, count: g.outputChannels)
        // The buffers a trained model's evaluator owns are `LargeBuffer`s, so these are too (the
        // inputs and weights above as well: in training the first layer's input and the weights are
        // arrays, which measured the same on the frame-spanning layer, 175-178 GFLOP/s either way).
        let output = LargeBuffer.allocate(videos * g.outputCount)
        let gradInput = LargeBuffer.allocate(videos * g.inputCount)
        let gradWeight = LargeBuffer.allocate(g.weightCount)
        let gradBias = LargeBuffer.allocate(g.outputChannels)
        let workspace = LargeBuffer.allocate(kernels.workspaceCount(geometry: g, videos: videos))
        let prepared = LargeBuffer.allocate(kernels.preparedCount(geometry: g))
        defer { [output, gradInput, gradWeight, gradBias, workspace, prepared].forEach { $0.deallocate() } }
        [output, gradInput, gradWeight, gradBias, workspace, prepared].forEach { $0.initialize(repeating: 0) }
        let flops = 2 * Double(videos) * Double(g.multiplyAdds)
        kernels.prepare(weight: weight, geometry: g, into: prepared.baseAddress!)
        let hasPrepared = kernels.preparedCount(geometry: g) > 0

        return ops.map { op in
            var times: [Double] = []
            var cpuTimes: [Double] = []
            for run in 0..<(warmup + runs) {
                let cpuStart = processCPUSeconds()
                let start = ContinuousClock.now
                let w = workspace.baseAddress!
                let p = hasPrepared ? UnsafePointer(prepared.baseAddress!) : nil
                switch op {
                case .forward:
                    kernels.forward(
                        input: input, weight: weight, bias: bias, videos: videos, geometry: g, prepared: p,
                        workspace: w, into: output.baseAddress!)
                case .backwardData:
                    kernels.backwardData(
                        gradOutput: gradOutput, weight: weight, videos: videos, geometry: g, prepared: p,
                        workspace: w, into: gradInput.baseAddress!)
                case .backwardWeight:
                    kernels.backwardWeight(
                        input: input, gradOutput: gradOutput, videos: videos, geometry: g, workspace: w,
                        addingInto: gradWeight.baseAddress!, gradBias: gradBias.baseAddress!)
                }
                let elapsed = ContinuousClock.now - start
                let cpu = processCPUSeconds() - cpuStart
                if run >= warmup {
                    times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
                    cpuTimes.append(cpu)
                }
            }
            times.sort()
            cpuTimes.sort()
            return Measurement(
                op: op, seconds: times[times.count / 2], bestSeconds: times[0], cpuSeconds: cpuTimes[cpuTimes.count / 2],
                flops: flops)
        }
    }
}

/// CPU time of the whole process (all threads), in seconds.
private func processCPUSeconds() -> Double {
    #if canImport(Glibc)
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    #else
    return 0
    #endif
}

/// A number with up to one decimal, for tables.
private func formatted(_ x: Double) -> String {
    let rounded = (x * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
