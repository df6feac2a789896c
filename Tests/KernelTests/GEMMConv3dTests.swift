import STGKernels
import STGTensor
import XCTest

/// GEMMConv3d against ReferenceConv3d on awkward shapes, plus exact identities.
final class GEMMConv3dTests: XCTestCase {
    struct Case {
        let name: String
        let geometry: Conv3dGeometry
        let videos: Int
    }

    /// The presets scaled down, with odd sizes, asymmetric SAME padding and batch > 1.
    static func cases() throws -> [Case] {
        func make(
            _ name: String, _ ci: Int, _ co: Int, _ input: Axis3, _ kernel: Axis3, _ stride: Axis3,
            _ padding: Conv3dPadding, videos: Int
        ) throws -> Case {
            Case(
                name: name,
                geometry: try Conv3dGeometry(
                    inputChannels: ci, outputChannels: co, input: input, kernel: kernel, stride: stride,
                    padding: padding),
                videos: videos)
        }
        return [
            try make("st-1 (15³ s7 SAME)", 3, 5, [9, 11, 10], 5, 3, .same, videos: 2),
            try make("st-2 (7³ s3 SAME)", 4, 6, [7, 8, 9], 3, 2, .same, videos: 2),
            try make("st-3 (2×3×3 s1,2,2 SAME)", 5, 3, [6, 7, 8], [2, 3, 3], [1, 2, 2], .same, videos: 3),
            try make("fcs-1 (7³ s2 SAME)", 3, 7, [6, 9, 8], 3, 2, .same, videos: 2),
            try make("fcs-2 (frame-spanning)", 4, 3, [7, 6, 5], [3, 6, 5], 2, .explicit([1, 0, 0]), videos: 3),
            try make("frame-spanning, S = 132", 3, 5, [7, 12, 11], [3, 12, 11], 2, .explicit([1, 0, 0]), videos: 3),
            try make("frame-spanning, 2 filters", 2, 2, [6, 16, 8], [2, 16, 8], [1, 3, 3], .explicit([1, 0, 0]), videos: 2),
            try make("frame-spanning, 1 video", 4, 6, [5, 8, 20], [4, 8, 20], [3, 1, 1], .explicit([2, 0, 0]), videos: 1),
            // Frames of 17 × 19 = 323 floats: two chunks of the input gradient (256 + 67).
            try make("frame-spanning, S = 323", 3, 4, [6, 17, 19], [3, 17, 19], 2, .explicit([1, 0, 0]), videos: 2),
            // Frames of 52 × 50 = 2600 floats: forward chunks 5 × 512 + 40, gradient chunks
            // 10 × 256 + 40 (the last channel's last one read from a block: its last tile would read
            // past the input); 7 filters: a second panel of the gradients with one filter.
            try make("frame-spanning, S = 2600", 2, 7, [5, 52, 50], [3, 52, 50], 2, .explicit([1, 0, 0]), videos: 2),
            // One time tap, stride 2: odd frames get no tap (an input-gradient class of depth 0).
            try make("frame-spanning, odd frames untouched", 2, 3, [5, 12, 11], [1, 12, 11], 2, .explicit(0), videos: 2),
            // 4 videos × 38 frames: forward classes of 76 frames in 6-frame tiles (the last one with
            // idle slots), 3 and 2 taps × 3 filters in 64 lanes.
            try make("frame-spanning, 4 videos of 38 frames", 2, 3, [38, 4, 40], [5, 4, 40], 2, .explicit([2, 0, 0]), videos: 4),
            // Time stride 2 over 4 taps (as fcs-large's 4×75×75 layer): two forward classes of 2 taps,
            // 3 videos × 13 frames each.
            try make("frame-spanning, 4 taps at stride 2", 3, 7, [26, 4, 40], [4, 4, 40], [2, 1, 1], .explicit([2, 0, 0]), videos: 3),
            // 40 filters, 5 taps at time stride 2 (the forward's class 0: 120 lanes, a 96-lane and a
            // 64-lane block; class 1: 80 lanes in a 96-lane block), frames of 24 × 25 = 600
            // positions (two forward chunks: 512 + 88).
            try make("frame-spanning, 40 filters", 2, 40, [9, 24, 25], [5, 24, 25], 2, .explicit([2, 0, 0]), videos: 2),
            try make("fcs-3 (2×1×1 s1,2,2)", 3, 2, [5, 3, 3], [2, 1, 1], [1, 2, 2], .explicit([1, 0, 0]), videos: 2),
            try make("1×1×1", 3, 4, [3, 4, 5], 1, 1, .explicit(0), videos: 2),
            try make("even kernel SAME", 2, 3, [5, 6, 7], [2, 4, 2], [2, 3, 1], .same, videos: 1),
            try make("wide padding", 2, 2, [3, 3, 4], [2, 2, 3], 1, .explicit([2, 1, 3]), videos: 1),
            try make("many rows (GEMM blocks)", 2, 14, [6, 20, 21], 3, 1, .same, videos: 2),
            // Stride 2 along rows 40 wide: vol2col's 16-column deinterleaving blocks and tail.
            try make("stride 2, 20 output columns", 2, 3, [4, 6, 40], 3, 2, .same, videos: 2),
            try make("deep patch (> 256)", 11, 13, [5, 7, 9], 3, [1, 2, 1], .same, videos: 2),
            // 3-channel tiles on frames at most 16 wide: row tiles of 7 and 6 rows (forward and
            // input gradient; 15 columns fill their vectors better than flat tiles would).
            try make("row tiles (13 × 15 frames)", 3, 3, [4, 26, 30], [2, 5, 5], [1, 2, 2], .same, videos: 2),
            // 10 columns (as st 32×64×64's input-gradient classes): flat 128-lane tiles instead.
            try make("3-channel flat tiles (13 × 10 frames)", 3, 3, [4, 26, 20], [2, 5, 5], [1, 2, 2], .same, videos: 2),
            // Forward in row tiles (15 output columns): rows 0 and 9 skip kernel rows that read
            // padding, rows 1-8 go in pairs; two 12-filter panels.
            try make("forward row tiles (10 × 15 frames)", 3, 14, [6, 40, 60], [3, 9, 9], [2, 4, 4], .same, videos: 2),
            // Time pairs (F(2, 2) along time, st's first layer in small): 15-frame kernel, time
            // stride 7, 9 output frames (4 pairs and one alone), 8–9 frames per input-gradient class,
            // two 12-filter panels split between threads.
            try make("time pairs (15-frame kernel, stride 7)", 2, 13, [60, 12, 45], [15, 7, 7], [7, 3, 3], .same, videos: 2),
            // 13 output frames (6 pairs and a last frame alone), 13 frames per class; kernel 2s (no
            // third tap).
            try make("time pairs, odd frame count, Kt = 2s", 3, 14, [39, 10, 30], [6, 5, 5], [3, 2, 2], .same, videos: 1),
            // Time pairs in flat tiles (frames 60 wide, as fcs-large's 7³ stride-3 first layer):
            // 9 output frames, four pairs and the last alone.
            try make("time pairs, flat tiles", 3, 14, [27, 9, 60], [7, 3, 3], [3, 1, 1], .same, videos: 2),
            // Weight gradient on pairs of frames (TimePairWeightGradient): time stride 2, 7 taps
            // (phase 0: two tap pairs; phase 1: a pair and a lone tap), 19 output frames (9 pairs
            // and the last alone), frames 14 wide.
            try make("time pairs, weight gradient (stride 2)", 2, 13, [37, 14, 40], [7, 5, 5], [2, 3, 3], .same, videos: 2),
            // Time stride 3, 7 taps (a pair and a lone tap in phase 0), 7 output frames, frames 40
            // wide (two vectors and a part per row).
            try make("time pairs, weight gradient (stride 3)", 3, 5, [20, 12, 40], [7, 4, 3], [3, 3, 1], .same, videos: 2),
            // Flat pairs with 7 taps at time stride 2 (fcs's first layer in small): two groups of
            // taps per phase (0, 2 | 4, 6 and 1, 3 | 5), 9 output frames (4 pairs and one alone).
            try make("time pairs, flat tiles, 7 taps stride 2", 3, 14, [17, 9, 40], [7, 3, 3], [2, 1, 1], .same, videos: 2),
            // No padding: all 7 rows interior, three pairs and the last row alone.
            try make("forward row tiles, odd interior", 2, 13, [5, 26, 45], [2, 7, 7], [1, 3, 3], .explicit([0, 0, 0]), videos: 1),
            // Two 48-filter tiles and two 64-channel groups of the channels-last kernels.
            try make("many channels (st-2 like)", 70, 50, [3, 5, 4], 3, [1, 2, 2], .same, videos: 2),
        ]
    }

    private let reference = ReferenceConv3d()

    /// Every strategy, and the indirect one with a tiny cache budget (one output channel per
    /// depth block of the input gradient).
    static let variants: [GEMMConv3d] =
        GEMMConv3d.Strategy.allCases.map { GEMMConv3d(strategy: $0) } + [
            GEMMConv3d(strategy: .indirect, blockFloats: 1, minimumBlockSteps: 1),
            GEMMConv3d(strategy: .indirect, residues: .separate),
            GEMMConv3d(strategy: .indirect, blockFloats: 1, minimumBlockSteps: 1, residues: .separate),
            GEMMConv3d(strategy: .indirect, residues: .merged),
            GEMMConv3d(strategy: .indirect, blockFloats: 1, minimumBlockSteps: 1, residues: .merged),
            GEMMConv3d(strategy: .columns, columnBlockFloats: 1),
            // The time-pair weight gradient one pair (or frame) per column block.
            GEMMConv3d(columnBlockFloats: 1),
        ]

    private func data(_ c: Case) -> (input: [Float], weight: [Float], bias: [Float], gradOutput: [Float]) {
        let g = c.geometry
        return (
            randomValues(c.videos * g.inputCount, seed: 1),
            randomValues(g.weightCount, seed: 2),
            randomValues(g.outputChannels, seed: 3),
            randomValues(c.videos * g.outputCount, seed: 4)
        )
    }

    /// Tolerances are relative to max(|a|, |b|, √terms): Float sums of n terms of size ~1 carry
    /// rounding errors that grow like √n.
    func testMatchesReferenceOnAwkwardShapes() throws {
        for threads in [1, 2] {
            try withThreads(threads) {
                for c in try Self.cases() {
                  for kernels in Self.variants {
                    let g = c.geometry
                    let d = data(c)
                    let fast = ConvRunner(kernels: kernels, geometry: g, videos: c.videos)
                    let slow = ConvRunner(kernels: reference, geometry: g, videos: c.videos)
                    let label =
                        "\(c.name) [\(g)] ×\(c.videos), \(threads) threads, \(kernels.strategy) block \(kernels.blockFloats)"
                        + " column block \(kernels.columnBlockFloats)"
                        + " residues \(kernels.residues)"
                    assertClose(
                        fast.forward(d.input, d.weight, d.bias), slow.forward(d.input, d.weight, d.bias),
                        tolerance: 1e-5, scale: Double(g.patchCount).squareRoot(), "forward \(label)")
                    assertClose(
                        fast.backwardData(d.gradOutput, d.weight), slow.backwardData(d.gradOutput, d.weight),
                        tolerance: 1e-5, scale: Double(g.weightCount).squareRoot(), "backwardData \(label)")
                    let (fw, fb) = fast.backwardWeight(d.input, d.gradOutput)
                    let (sw, sb) = slow.backwardWeight(d.input, d.gradOutput)
                    // Each weight gradient sums videos × output volume terms in Float.
                    let terms = Double(c.videos * g.output.volume).squareRoot()
                    assertClose(fw, sw, tolerance: 1e-5, scale: terms, "backwardWeight weight \(label)")
                    assertClose(fb, sb, tolerance: 1e-5, scale: terms, "backwardWeight bias \(label)")
                  }
                }
            }
        }
    }

    /// Every op gives bit-identical results on 1, 2 and 3 threads (each output element has one
    /// owner and a fixed summation order).
    func testResultsDoNotDependOnThreadCount() throws {
        for c in try Self.cases() {
            for kernels in [GEMMConv3d(maxThreads: 3), GEMMConv3d(maxThreads: 3, strategy: .indirect),
                            GEMMConv3d(maxThreads: 3, strategy: .columns),
                            GEMMConv3d(maxThreads: 3, strategy: .channelsLast)] {
                let g = c.geometry
                let d = data(c)
                let runner = ConvRunner(kernels: kernels, geometry: g, videos: c.videos)
                let results = [1, 2, 3].map { threads in
                    withThreads(threads) {
                        (runner.forward(d.input, d.weight, d.bias), runner.backwardData(d.gradOutput, d.weight),
                         runner.backwardWeight(d.input, d.gradOutput, startWeight: d.weight, startBias: d.bias))
                    }
                }
                for r in results.dropFirst() {
                    let label = "\(c.name), \(kernels.strategy)"
                    XCTAssertEqual(r.0.map(\.bitPattern), results[0].0.map(\.bitPattern), "forward \(label)")
                    XCTAssertEqual(r.1.map(\.bitPattern), results[0].1.map(\.bitPattern), "backwardData \(label)")
                    XCTAssertEqual(r.2.0.map(\.bitPattern), results[0].2.0.map(\.bitPattern), "gradWeight \(label)")
                    XCTAssertEqual(r.2.1.map(\.bitPattern), results[0].2.1.map(\.bitPattern), "gradBias \(label)")
                }
            }
        }
    }

    /// Ops given weights prepared once (`prepare`, as the Langevin loop does) give bit-identical
    /// results to ops that derive them per call.
    func testPreparedWeightsGiveIdenticalResults() throws {
        for c in try Self.cases() {
            for kernels in Self.variants {
                let d = data(c)
                let runner = ConvRunner(kernels: kernels, geometry: c.geometry, videos: c.videos)
                let label = "\(c.name), \(kernels.strategy), prepared \(kernels.preparedCount(geometry: c.geometry)) floats"
                XCTAssertEqual(
                    runner.forward(d.input, d.weight, d.bias, prepared: true).map(\.bitPattern),
                    runner.forward(d.input, d.weight, d.bias).map(\.bitPattern), "forward \(label)")
                XCTAssertEqual(
                    runner.backwardData(d.gradOutput, d.weight, prepared: true).map(\.bitPattern),
                    runner.backwardData(d.gradOutput, d.weight).map(\.bitPattern), "backwardData \(label)")
            }
        }
    }

    /// backwardWeight adds to what is already in its destinations.
    func testBackwardWeightAccumulates() throws {
        let c = try Self.cases()[1]
        let g = c.geometry
        let d = data(c)
        let fast = ConvRunner(kernels: GEMMConv3d(), geometry: g, videos: c.videos)
        let startWeight = randomValues(g.weightCount, seed: 5)
        let startBias = randomValues(g.outputChannels, seed: 6)
        let (fromZero, biasFromZero) = fast.backwardWeight(d.input, d.gradOutput)
        let (added, biasAdded) = fast.backwardWeight(
            d.input, d.gradOutput, startWeight: startWeight, startBias: startBias)
        assertClose(added, zip(startWeight, fromZero).map { $0 + $1 }, tolerance: 1e-6, "weight accumulation")
        assertClose(biasAdded, zip(startBias, biasFromZero).map { $0 + $1 }, tolerance: 1e-6, "bias accumulation")
        // Twice from zero = the sum of two videos-batches: accumulating again doubles.
        let (twice, _) = fast.backwardWeight(d.input, d.gradOutput, startWeight: fromZero)
        assertClose(twice, fromZero.map { 2 * $0 }, tolerance: 1e-6, "second accumulation")
    }

    /// ⟨conv(x), g⟩ = ⟨x, backwardData(g)⟩ (bias 0): backwardData is the adjoint of forward.
    func testAdjointIdentity() throws {
        for c in try Self.cases() {
          for kernels in Self.variants {
            let strategy = kernels.strategy
            let g = c.geometry
            let d = data(c)
            let fast = ConvRunner(kernels: kernels, geometry: g, videos: c.videos)
            let zeroBias = [Float](repeating: 0, count: g.outputChannels)
            let y = fast.forward(d.input, d.weight, zeroBias)
            let dx = fast.backwardData(d.gradOutput, d.weight)
            let left = zip(y, d.gradOutput).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let right = zip(d.input, dx).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            // Float rounding grows with the sum of the terms' sizes, not with the (cancelling) sum.
            let size = zip(y, d.gradOutput).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            let scale = max(size, 1)
            XCTAssertLessThan(
                abs(left - right) / scale, 1e-5, "\(c.name) \(strategy): ⟨conv x, g⟩ = \(left), ⟨x, convᵀ g⟩ = \(right)")
          }
        }
    }

    /// The weight-gradient time-pair shapes above take `TimePairWeightGradient`, and so do the
    /// first layers of st, st at 32 × 64 × 64, fcs and fcs-large.
    func testWeightGradientPairShapesTakeThePairPath() throws {
        let shapes = try Self.cases().filter { $0.name.hasPrefix("time pairs, weight gradient") }.map(\.geometry)
        XCTAssertEqual(shapes.count, 2)
        let firstLayers = try [
            ([70, 100, 100], 15, 7), ([32, 64, 64], 15, 7), ([70, 100, 100], 7, 2), ([70, 224, 224], 7, 3),
        ].map { (input: Axis3, kernel: Axis3, stride: Axis3) in
            try Conv3dGeometry(
                inputChannels: 3, outputChannels: 120, input: input, kernel: kernel, stride: stride, padding: .same)
        }
        for g in shapes + firstLayers {
            XCTAssertTrue(GEMMConv3d().usesTimePairWeightGradient(g), "\(g)")
            XCTAssertFalse(GEMMConv3d(strategy: .columns).usesTimePairWeightGradient(g), "\(g)")
        }
        // The odd frame count and the lone taps are what the shapes are for.
        XCTAssertTrue(shapes.allSatisfy { $0.output.t % 2 == 1 && $0.kernel.t == 7 })
    }

    /// The time-pair shapes above run the forward and the input gradient on pairs of frames, and
    /// st's first layer does too.
    func testTimePairShapesTakeTheTimePairPaths() throws {
        let cases = try Self.cases()
        let pairs = cases.filter {
            $0.name.hasPrefix("time pairs") && !$0.name.contains("flat tiles") && !$0.name.contains("weight gradient")
        }
        XCTAssertEqual(pairs.count, 2)
        let st1 = try Conv3dGeometry(
            inputChannels: 3, outputChannels: 120, input: [70, 100, 100], kernel: 15, stride: 7, padding: .same)
        for (name, g) in pairs.map({ ($0.name, $0.geometry) }) + [("st layer 1", st1)] {
            XCTAssertTrue(IndirectConvolution.prefersTimePairs(g), "forward \(name)")
            XCTAssertTrue(IndirectConvolution.prefersForwardRows(g), "forward in row tiles \(name)")
            XCTAssertTrue(IndirectConvolution.prefersBackwardPairs(g), "input gradient \(name)")
        }
        // The flat-tile pairs: the test shape and fcs-large's first layer.
        let flat = cases.filter { $0.name.hasPrefix("time pairs, flat tiles") }.map(\.geometry)
        XCTAssertEqual(flat.count, 2)
        let large1 = try Conv3dGeometry(
            inputChannels: 3, outputChannels: 120, input: [70, 224, 224], kernel: 7, stride: 3, padding: .same)
        let fcs1 = try Conv3dGeometry(
            inputChannels: 3, outputChannels: 120, input: [70, 100, 100], kernel: 7, stride: 2, padding: .same)
        for g in flat + [large1, fcs1] {
            XCTAssertTrue(IndirectConvolution.prefersTimePairs(g), "\(g)")
            XCTAssertFalse(IndirectConvolution.prefersForwardRows(g), "\(g)")
            XCTAssertGreaterThanOrEqual(g.output.t, IndirectConvolution.minimumFlatPairFrames, "\(g)")
        }
    }

    /// A 1-channel 1×2×2 input and a 1×2×2 kernel with SAME padding, computed by hand.
    func testHandComputedExample() throws {
        // Input frame [[1, 2], [3, 4]], kernel [[1, 10], [100, 1000]], bias 0.5, stride 1, SAME:
        // total padding 1 per spatial axis, all after. Output (h, w):
        //   (0,0) = 1·1 + 2·10 + 3·100 + 4·1000 = 4321   (0,1) = 2·1 + 4·100 = 402
        //   (1,0) = 3·1 + 4·10 = 43                      (1,1) = 4·1 = 4
        let g = try Conv3dGeometry(
            inputChannels: 1, outputChannels: 1, input: [1, 2, 2], kernel: [1, 2, 2], stride: 1, padding: .same)
        XCTAssertEqual(g.padBefore, Axis3(0))
        XCTAssertEqual(g.padAfter, [0, 1, 1])
        let runner = ConvRunner(kernels: GEMMConv3d(), geometry: g, videos: 1)
        let y = runner.forward([1, 2, 3, 4], [1, 10, 100, 1000], [0.5])
        XCTAssertEqual(y, [4321.5, 402.5, 43.5, 4.5])
        // Gradient of Σ y: dx(h, w) = sum of the kernel taps that read it.
        //   x(0,0) only by tap (0,0): 1; x(0,1): taps (0,1),(0,0): 11; x(1,0): 101; x(1,1): 1111.
        XCTAssertEqual(runner.backwardData([1, 1, 1, 1], [1, 10, 100, 1000]), [1, 11, 101, 1111])
        // dW(kh, kw) = Σ over outputs of the input each reads: (0,0) 10, (0,1) 2+4 = 6, (1,0) 3+4 = 7, (1,1) 4.
        let (dw, db) = runner.backwardWeight([1, 2, 3, 4], [1, 1, 1, 1])
        XCTAssertEqual(dw, [10, 6, 7, 4])
        XCTAssertEqual(db, [4])
    }
}
