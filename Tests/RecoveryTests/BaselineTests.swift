import STGMedia
import STGRecovery
import XCTest

final class BaselineTests: XCTestCase {
    /// Masks of every kind on a 2×12×16×14 video, plus a pixel never visible in any frame.
    private func masks() throws -> [(String, VideoMask)] {
        var list: [(String, VideoMask)] = []
        for text in ["pixels:0.4", "blocks:0.3:4", "region:0.2:moving", "frames:0.4", "middle-frames"] {
            list.append((text, try MaskSpec(parsing: text).mask(frames: 12, height: 16, width: 14, seed: 11)))
        }
        var never = try MaskSpec(parsing: "pixels:0.2").mask(frames: 12, height: 16, width: 14, seed: 12)
        for t in 0..<12 { never[t, 5, 6] = true; never[t, 0, 0] = true }
        list.append(("pixels:0.2 + never-visible pixels", never))
        return list
    }

    func testVisibleSamplesBitIdenticalAfterEveryMethod() throws {
        var video = noiseVideo(channels: 2, frames: 12, height: 16, width: 14, seed: 1)
        video.samples[5] = -0.0  // a sign bit that a naive copy through arithmetic would lose
        for (label, mask) in try masks() {
            // Garbage at occluded positions must not leak into the result.
            let input = Occlusion.apply(mask, to: video, fill: .nan)
            for method in allBaselines {
                let recovered = method.recover(input, mask: mask)
                assertVisibleIdentical(recovered, video, mask: mask, "\(method.name) on \(label)")
                // Every method is a (weighted) mean of visible values: the maximum principle.
                let visible = video.samples.indices.filter { !mask.occluded[$0 % mask.occluded.count] }
                let low = visible.map { video.samples[$0] }.min()!
                let high = visible.map { video.samples[$0] }.max()!
                let outside = recovered.samples.filter { $0 < low - 1e-3 || $0 > high + 1e-3 }
                XCTAssertTrue(outside.isEmpty, "\(method.name) on \(label): \(outside.prefix(3)) outside \(low)...\(high)")
            }
        }
    }

    func testConstantVideoRecoveredExactlyByEveryMethod() throws {
        let video = makeVideo(channels: 3, frames: 12, height: 16, width: 14) { c, _, _, _ in Float(77 + 50 * c) }
        for (label, mask) in try masks() {
            let input = Occlusion.apply(mask, to: video, fill: 0)
            for method in allBaselines {
                let recovered = method.recover(input, mask: mask)
                XCTAssertEqual(recovered, video, "\(method.name) on \(label): max error \(maxOccludedError(recovered, video, mask: mask))")
            }
        }
    }

    func testTemporalInterpolationRecoversALinearRampInTimeExactly() {
        // v = 10 + 5t + 3c + (y·7 + x) mod 11: linear along time at every pixel.
        let video = makeVideo(channels: 2, frames: 10, height: 6, width: 5) { c, t, y, x in
            Float(10 + 5 * t + 3 * c + (y * 7 + x) % 11)
        }
        // Interior frames missing (runs of 1 and 3), and a per-pixel pattern, frames 0 and 9 visible.
        let mask = makeMask(frames: 10, height: 6, width: 5) { t, y, x in
            t == 2 || (5..<8).contains(t) || (t > 0 && t < 9 && (t * 3 + y * 2 + x) % 4 == 0)
        }
        let input = Occlusion.apply(mask, to: video, fill: -1)
        let recovered = TemporalInterpolation().recover(input, mask: mask)
        XCTAssertEqual(recovered, video, "max error \(maxOccludedError(recovered, video, mask: mask))")
        XCTAssertEqual(Occlusion.initialFill(input, mask: mask, method: .temporalInterpolation), video)
    }

    func testTemporalInterpolationUsesTheNearestValueAtTheEnds() {
        let video = makeVideo(channels: 1, frames: 5, height: 1, width: 2) { _, t, _, x in Float(t * 10 + x) }
        let mask = makeMask(frames: 5, height: 1, width: 2) { t, _, x in x == 0 ? t != 2 : t == 4 }
        let recovered = TemporalInterpolation().recover(Occlusion.apply(mask, to: video, fill: 0), mask: mask)
        // Pixel 0 is visible only at t = 2 (value 20); pixel 1 is missing at t = 4 (nearest: 31).
        XCTAssertEqual((0..<5).map { recovered[0, $0, 0, 0] }, [20, 20, 20, 20, 20])
        XCTAssertEqual((0..<5).map { recovered[0, $0, 0, 1] }, [1, 11, 21, 31, 31])
    }

    /// v = 20 + 3x + 2y + 40c, the same in every frame: harmonic in space and constant in time.
    private let ramp = makeVideo(channels: 2, frames: 6, height: 14, width: 15) { c, _, y, x in
        Float(20 + 3 * x + 2 * y + 40 * c)
    }

    /// Occluded pixels away from the frame border (where the free boundary bends the ramp):
    /// a moving block and scattered pixels, and one pixel hidden in every frame.
    private let interiorMask = makeMask(frames: 6, height: 14, width: 15) { t, y, x in
        guard (1..<13).contains(y), (1..<14).contains(x) else { return false }
        return ((2 + t)..<(8 + t)).contains(x) && (3..<9).contains(y) || (x * 5 + y * 3 + t) % 7 == 0
            || (y == 11 && x == 2)
    }

    func testSpatialMethodsRecoverALinearRampInSpace() {
        let input = Occlusion.apply(interiorMask, to: ramp, fill: 0)
        for method: any RecoveryMethod in [SpatialInterpolation(), MarkovRandomFieldL2(), TemporalInterpolation()] {
            let outcome = method.recoverWithReport(input, mask: interiorMask)
            let worst = maxOccludedError(outcome.video, ramp, mask: interiorMask)
            XCTAssertLessThan(worst.error, 1e-3, "\(method.name): largest error at sample \(worst.index)")
            assertVisibleIdentical(outcome.video, ramp, mask: interiorMask, method.name)
        }
        let report = MarkovRandomFieldL2().recoverWithReport(input, mask: interiorMask).report!
        XCTAssertTrue(report.converged, "\(report)")
        XCTAssertGreaterThan(report.iterations, 0)
        XCTAssertLessThanOrEqual(report.residual, report.tolerance)
    }

    func testSpatialInterpolationFallsBackToTimeForMissingFrames() {
        // Linear in time and in space: frames 2 and 3 entirely missing, frame 4 partly.
        let video = makeVideo(channels: 1, frames: 6, height: 8, width: 9) { _, t, y, x in Float(4 * t + x + y) }
        let mask = makeMask(frames: 6, height: 8, width: 9) { t, y, x in
            t == 2 || t == 3 || (t == 4 && (2..<5).contains(y) && (3..<6).contains(x))
        }
        let recovered = SpatialInterpolation().recover(Occlusion.apply(mask, to: video, fill: 0), mask: mask)
        let worst = maxOccludedError(recovered, video, mask: mask)
        XCTAssertLessThan(worst.error, 1e-3, "largest error at sample \(worst.index)")
    }

    func testL1KeepsAStepEdgeSharpWhereL2Blurs() {
        // 0 left of x = 12, 100 from x = 12 on; a 10×10 hole across the edge in every frame, so
        // time cannot help: only the L1 (total variation) prior continues the edge straight.
        let video = makeVideo(channels: 1, frames: 4, height: 24, width: 24) { _, _, _, x in x < 12 ? 0 : 100 }
        let mask = makeMask(frames: 4, height: 24, width: 24) { _, y, x in (7..<17).contains(y) && (7..<17).contains(x) }
        let input = Occlusion.apply(mask, to: video, fill: 0)
        let l1 = MarkovRandomFieldL1().recoverWithReport(input, mask: mask)
        let l2 = MarkovRandomFieldL2().recover(input, mask: mask)
        let l1Error = RecoveryMetrics(recovered: l1.video, truth: video, mask: mask)
        let l2Error = RecoveryMetrics(recovered: l2, truth: video, mask: mask)
        let worst = maxOccludedError(l1.video, video, mask: mask)
        // The smoothed L1 (ε = 0.1) leaves about 5ε at the edge column.
        XCTAssertLessThan(worst.error, 1, "mrf-l1: largest error at sample \(worst.index); \(l1Error); \(l1.report!)")
        XCTAssertGreaterThan(l2Error.meanAbsoluteError, 5, "mrf-l2 should blur the edge: \(l2Error)")
        XCTAssertTrue(l1.report!.converged, "\(l1.report!)")
        assertVisibleIdentical(l1.video, video, mask: mask, "mrf-l1")
    }

    func testEverythingOccludedGivesZeros() {
        let video = noiseVideo(channels: 2, frames: 3, height: 4, width: 5, seed: 2)
        let mask = MaskSpec.pixels(fraction: 1).mask(for: video, seed: 0)
        for method in allBaselines {
            XCTAssertEqual(method.recover(video, mask: mask).samples, [Float](repeating: 0, count: 120), method.name)
        }
    }

    func testBaselineNamesParse() throws {
        for baseline in Baseline.allCases {
            XCTAssertEqual(try Baseline(parsing: baseline.rawValue), baseline)
            XCTAssertEqual(baseline.method.name, baseline.rawValue)
        }
        XCTAssertEqual(try Baseline(parsing: " MRF-L1 "), .mrfL1)
        XCTAssertThrowsError(try Baseline(parsing: "mrf-l3")) { error in
            XCTAssertTrue("\(error)".contains("interp-temporal, interp-spatial, mrf-l2, mrf-l1"), "\(error)")
        }
    }
}
