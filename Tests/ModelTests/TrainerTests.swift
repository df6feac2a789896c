import Foundation
import STGConvNet
import STGMedia
import STGTensor
import TestSupport
import XCTest

final class TrainerTests: XCTestCase {
    private func options(iterations: Int = 4, seed: UInt64 = 11) -> TrainingOptions {
        var options = TrainingOptions()
        options.iterations = iterations
        options.chains = 2
        options.langevinSteps = 3
        options.seed = seed
        options.learningRate = 0.01
        options.initialWeightStd = 0.01
        return options
    }

    private func run(_ trainer: Trainer, iterations: Int) throws -> [IterationRecord] {
        try (0..<iterations).map { _ in try trainer.step() }
    }

    /// The same seed gives bit-identical chains, parameters and log, whatever the thread count.
    func testSameSeedIsBitIdenticalAcrossThreadCounts() throws {
        let video = movingWave()
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let one = try Trainer(videos: [video], spec: tinySpec, options: options())
        let logOne = try run(one, iterations: 3)
        Parallel.threads = 2
        let two = try Trainer(videos: [video], spec: tinySpec, options: options())
        let logTwo = try run(two, iterations: 3)
        XCTAssertEqual(one.state.chains.storage.map(\.bitPattern), two.state.chains.storage.map(\.bitPattern))
        XCTAssertEqual(one.state.net.parameters.map(\.bitPattern), two.state.net.parameters.map(\.bitPattern))
        XCTAssertEqual(logOne.map(\.meanSynthesizedEnergy), logTwo.map(\.meanSynthesizedEnergy))

        let other = try Trainer(videos: [video], spec: tinySpec, options: options(seed: 12))
        _ = try run(other, iterations: 3)
        XCTAssertNotEqual(one.state.chains.storage, other.state.chains.storage, "another seed gives another run")
    }

    /// A checkpoint holds the whole state: resuming from it continues exactly as the uninterrupted run.
    func testCheckpointRoundTripAndExactResume() throws {
        let video = movingWave()
        let uninterrupted = try Trainer(videos: [video], spec: tinySpec, options: options())
        _ = try run(uninterrupted, iterations: 4)

        let first = try Trainer(videos: [video], spec: tinySpec, options: options())
        _ = try run(first, iterations: 2)
        let folder = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(Checkpoint.fileName).path
        try Checkpoint.write(first.state, metadata: ["input": "wave"], to: path)
        let (state, metadata) = try Checkpoint.read(path)
        XCTAssertEqual(state, first.state)
        XCTAssertEqual(metadata, ["input": "wave"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [Checkpoint.fileName],
                       "no temporary files are left behind")

        let resumed = try Trainer(state: state)
        _ = try run(resumed, iterations: 2)
        XCTAssertEqual(resumed.state.chains.storage.map(\.bitPattern), uninterrupted.state.chains.storage.map(\.bitPattern))
        XCTAssertEqual(resumed.state.net.parameters, uninterrupted.state.net.parameters)
    }

    func testDamagedCheckpointsAreClearErrors() throws {
        let folder = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.stgc").path
        let trainer = try Trainer(videos: [movingWave()], spec: tinySpec, options: options())
        try Checkpoint.write(trainer.state, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Checkpoint.read(path)) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Checkpoint.read(path)) { XCTAssertTrue("\($0)".contains("not an STGConvNet checkpoint"), "\($0)") }
        XCTAssertThrowsError(try Checkpoint.read(folder.path + "/missing.stgc")) { XCTAssertTrue("\($0)".contains("missing.stgc"), "\($0)") }
    }

    /// Learning moves the synthesized chains towards the data: from flat grey (the mean) towards
    /// the observed contrast and motion.
    func testLearningMovesTowardsTheData() throws {
        let video = movingWave(channels: 1, frames: 6, height: 8, width: 8)
        var opts = options(iterations: 60)
        opts.langevinSteps = 10
        opts.learningRate = 0.02
        opts.chains = 2
        let trainer = try Trainer(videos: [video], spec: tinySpec, options: opts)
        let observed = VideoStatistics(video)
        func worst() -> Double {
            trainer.synthesizedVideos.map { VideoStatistics($0).deviations(from: observed).map(\.1).max()! }.max()!
        }
        let before = worst()
        var records: [IterationRecord] = []
        for _ in 0..<60 { records.append(try trainer.step()) }
        let after = worst()
        XCTAssertGreaterThan(before, 0.9, "chains start flat: std and differences near 0")
        XCTAssertLessThan(after, before * 0.7, "worst deviation \(before) → \(after)")
        XCTAssertTrue(records.allSatisfy { $0.meanObservedEnergy.isFinite && $0.gradientNorm.isFinite })
    }

    /// Learning from incomplete data: visible samples of the recovered video stay bit-identical to
    /// the input, occluded samples stay at the initial fill during the warm-up, then move and stay
    /// valid pixels (0–255).
    func testRecoveryClampsVisibleSamplesAndMovesOccludedOnesAfterWarmUp() throws {
        let video = movingWave(channels: 1, frames: 6, height: 8, width: 8)
        var mask = VideoMask(frames: 6, height: 8, width: 8)
        for i in mask.occluded.indices where i % 3 == 0 { mask.occluded[i] = true }
        var opts = options(iterations: 6)
        opts.recoveryWarmup = 3
        opts.learningRate = 0.05
        opts.initialWeightStd = 0.05
        opts.stepSize = 3
        let trainer = try Trainer(videos: [video], masks: [mask], spec: tinySpec, options: opts)
        let visibleMean = zip(video.samples, mask.occluded).filter { !$0.1 }.map { Double($0.0) }
            .reduce(0, +) / Double(mask.occluded.filter { !$0 }.count)
        for _ in 0..<3 { _ = try trainer.step() }
        let warm = trainer.recoveredVideos[0].samples
        for i in warm.indices where mask.occluded[i] {
            XCTAssertEqual(Double(warm[i]), visibleMean, accuracy: 1e-3, "occluded sample \(i) waits during warm-up")
        }
        for _ in 0..<3 { _ = try trainer.step() }
        let recovered = trainer.recoveredVideos[0].samples
        var moved = 0
        for i in recovered.indices {
            if mask.occluded[i] {
                XCTAssertTrue((0...255).contains(recovered[i]), "occluded sample \(i) = \(recovered[i])")
                if abs(Double(recovered[i]) - visibleMean) > 0.5 { moved += 1 }
            } else {
                XCTAssertEqual(recovered[i].bitPattern, video.samples[i].bitPattern, "visible sample \(i)")
            }
        }
        XCTAssertGreaterThan(moved, mask.occluded.filter { $0 }.count / 2, "occluded samples move after warm-up")
    }

    func testMismatchedMasksAreRejected() {
        let video = movingWave()
        let mask = VideoMask(frames: 3, height: 8, width: 8)
        XCTAssertThrowsError(try Trainer(videos: [video], masks: [mask], spec: tinySpec, options: options())) {
            XCTAssertTrue("\($0)".contains("does not fit"), "\($0)")
        }
    }
}
