import ArgumentParser
import Foundation
import STGConvNet
import STGKernels
import STGMedia
import STGTensor

/// `stgconvnet bench`: speed of every convolution layer and op of the presets, and of whole
/// learning iterations, through the same code paths training uses.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of every convolution layer and of full learning iterations.",
        discussion: """
            Cases (preset and input, 3 chains and 1 observed video, 20 Langevin steps): \
            \(BenchCase.all.map(\.name).joined(separator: ", ")). For each layer and op (forward, input \
            gradient, weight gradient) the median time of a call on the batch training uses, GFLOP/s and \
            the share of --peak; then full learning iterations, Langevin and update separately.
            """)

    @Option(help: "Cases to run (comma-separated names, or all).")
    var cases: String = "st-70x100x100,st-32x64x64,fcs-70x100x100"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Timed runs of each layer op (median reported).")
    var runs: Int = 3

    @Option(help: "Timed learning iterations per case (after one warm-up); 0 skips them.")
    var iterations: Int = 2

    @Option(help: "The machine's FP32 GEMM peak in GFLOP/s, for the share column (measured: OpenBLAS, 2 cores).")
    var peak: Double = 485

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be ≥ 1") }
        if iterations < 0 { throw ValidationError("--iterations must be ≥ 0") }
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1") }
        if !(peak > 0) { throw ValidationError("--peak must be positive") }
        _ = try selectedCases()
    }

    func selectedCases() throws -> [BenchCase] {
        if cases == "all" { return BenchCase.all }
        return try cases.split(separator: ",").map { name in
            guard let found = BenchCase.all.first(where: { $0.name == name }) else {
                throw ValidationError("unknown case '\(name)'; cases: \(BenchCase.all.map(\.name).joined(separator: ", ")), all")
            }
            return found
        }
    }

    func run() throws {
        if let threads { Parallel.threads = threads }
        var results: [BenchResult] = []
        for benchCase in try selectedCases() {
            if !json { Console.line("\n## \(benchCase.name) (\(Parallel.threads) threads)\n") }
            let result = try benchCase.run(runs: runs, iterations: iterations, peak: peak) { line in
                if !json { Console.line(line) }
            }
            results.append(result)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Console.line(String(decoding: try encoder.encode(BenchReport(threads: Parallel.threads, peak: peak, cases: results)), as: UTF8.self))
        }
    }
}

struct BenchReport: Codable {
    var threads: Int
    var peak: Double
    var cases: [BenchResult]
}

struct BenchResult: Codable {
    struct LayerOp: Codable {
        var layer: Int
        var geometry: String
        var op: String
        var videos: Int
        var milliseconds: Double
        var gigaflops: Double
        var shareOfPeak: Double
    }
    var name: String
    var layers: [LayerOp] = []
    var langevinSeconds: Double?
    var updateSeconds: Double?
    var iterationSeconds: Double?
    var gigaflopsPerIteration: Double
}

/// One benchmark case: a preset on an input size, with the training batch sizes.
struct BenchCase {
    var name: String
    var preset: Preset
    var shape: VideoShape
    var chains = 3
    var observed = 1
    var langevinSteps = 20

    static let all: [BenchCase] = [
        BenchCase(name: "st-70x100x100", preset: .st, shape: VideoShape(channels: 3, frames: 70, height: 100, width: 100)),
        BenchCase(name: "st-32x64x64", preset: .st, shape: VideoShape(channels: 3, frames: 32, height: 64, width: 64)),
        BenchCase(name: "fcs-70x100x100", preset: .fcs, shape: VideoShape(channels: 3, frames: 70, height: 100, width: 100)),
        BenchCase(name: "fcs-16x64x64", preset: .fcs, shape: VideoShape(channels: 3, frames: 16, height: 64, width: 64)),
        BenchCase(name: "fcs-large-70x224x224", preset: .fcsLarge, shape: VideoShape(channels: 3, frames: 70, height: 224, width: 224)),
    ]

    /// FLOPs of one learning iteration, counted like the PyTorch reference: Langevin = steps × M ×
    /// Σ (forward + input gradient); update = (M + N) × Σ (forward + weight gradient + input
    /// gradient above the first layer). 2 FLOP per multiply-add, padding included.
    func flops(_ layers: [Conv3dGeometry]) -> Double {
        let perLayer = layers.map { 2 * Double($0.multiplyAdds) }
        let langevin = Double(langevinSteps * chains) * perLayer.reduce(0) { $0 + 2 * $1 }
        let update = Double(chains + observed) * perLayer.enumerated().reduce(0) { $0 + 2 * $1.1 + ($1.0 > 0 ? $1.1 : 0) }
        return langevin + update
    }

    func run(runs: Int, iterations: Int, peak: Double, print: (String) -> Void) throws -> BenchResult {
        let layers = try preset.spec.geometries(
            channels: shape.channels, frames: shape.frames, height: shape.height, width: shape.width)
        var result = BenchResult(name: name, gigaflopsPerIteration: flops(layers) / 1e9)
        print("| layer | geometry | op | videos | ms | GFLOP/s | share of peak |")
        print("|---|---|---|---:|---:|---:|---:|")
        for (l, g) in layers.enumerated() {
            // Batches as in training: Langevin runs forward and input gradient on the M chains; the
            // update runs the weight gradient on M + N videos.
            let plans: [(Conv3dBenchmark.Op, Int)] = [(.forward, chains), (.backwardData, chains), (.backwardWeight, chains + observed)]
            for (op, videos) in plans {
                let m = Conv3dBenchmark.measure(defaultConv3dKernels, geometry: g, videos: videos, ops: [op], runs: runs)[0]
                let row = BenchResult.LayerOp(
                    layer: l + 1, geometry: g.description, op: op.rawValue, videos: videos, milliseconds: m.seconds * 1e3,
                    gigaflops: m.gigaflops, shareOfPeak: m.gigaflops / peak)
                result.layers.append(row)
                print(String(format: "| %d | %@ | %@ | %d | %.1f | %.1f | %.0f%% |", l + 1, g.description, op.rawValue, videos,
                             row.milliseconds, row.gigaflops, 100 * row.shareOfPeak))
            }
        }
        if iterations > 0 {
            let video = Self.observedVideo(shape)
            var options = TrainingOptions()
            options.chains = chains
            options.langevinSteps = langevinSteps
            options.iterations = iterations + 1
            let trainer = try Trainer(videos: [video], spec: preset.spec, options: options)
            _ = try trainer.step()  // warm-up
            var records: [IterationRecord] = []
            for _ in 0..<iterations { records.append(try trainer.step()) }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            result.langevinSeconds = median(records.map(\.langevinSeconds))
            result.updateSeconds = median(records.map(\.updateSeconds))
            result.iterationSeconds = median(records.map(\.seconds))
            print("")
            print(String(format: "learning iteration: %.2f s (Langevin %.2f s + update %.2f s), %.0f GFLOP, %.0f GFLOP/s",
                         result.iterationSeconds!, result.langevinSeconds!, result.updateSeconds!,
                         result.gigaflopsPerIteration, result.gigaflopsPerIteration / result.iterationSeconds!))
        }
        return result
    }

    /// The reference's synthetic observed video: a moving sinusoid texture with noise, 0–255.
    static func observedVideo(_ shape: VideoShape) -> Video {
        var video = Video(channels: shape.channels, frames: shape.frames, height: shape.height, width: shape.width)
        var rng = Xoshiro256(seed: 2)
        for c in 0..<shape.channels {
            for t in 0..<shape.frames {
                for y in 0..<shape.height {
                    for x in 0..<shape.width {
                        let base = sinf(0.21 * Float(x) + 0.13 * Float(y) - 0.3 * Float(t) + Float(c))
                            + 0.5 * cosf(0.07 * Float(x) * (1 + 0.1 * Float(c)) + 0.2 * Float(t))
                        video[c, t, y, x] = min(max(127.5 + 80 * base + 10 * rng.nextNormal(), 0), 255)
                    }
                }
            }
        }
        return video
    }
}
