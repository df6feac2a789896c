import STGMedia
import STGRecovery
import XCTest

final class MetricsAndOcclusionTests: XCTestCase {
    /// One 2×2 frame, two channels; pixels 1, 2, 3 occluded (pixel 3 recovered exactly).
    private let mask = VideoMask(frames: 1, height: 2, width: 2, occluded: [false, true, true, true])
    private let truth = Video(channels: 2, frames: 1, height: 2, width: 2, samples: [0, 10, 20, 30, 50, 50, 50, 50])

    func testMetricsByHand() {
        // The visible pixel 0 is off by 100 in channel 0: it must not count.
        let recovered = Video(channels: 2, frames: 1, height: 2, width: 2, samples: [100, 13, 16, 30, 50, 48, 50, 51])
        let metrics = RecoveryMetrics(recovered: recovered, truth: truth, mask: mask)
        // |errors| 3, 4, 0, 2, 0, 1 over 6 samples; squared 9 + 16 + 0 + 4 + 0 + 1 = 30, MSE 5.
        XCTAssertEqual(metrics.occludedSamples, 6)
        XCTAssertEqual(metrics.meanAbsoluteError, 10.0 / 6.0, accuracy: 1e-12)
        // 10·log10(255² / 5) = 10·log10(13005).
        XCTAssertEqual(metrics.peakSignalToNoiseRatio, 41.141103565318915, accuracy: 1e-9)
        XCTAssertEqual(RecoveryMetrics.meanAbsoluteError(recovered: recovered, truth: truth, mask: mask), 10.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(RecoveryMetrics.peakSignalToNoiseRatio(recovered: recovered, truth: truth, mask: mask),
                       41.141103565318915, accuracy: 1e-9)

        let exact = RecoveryMetrics(recovered: truth, truth: truth, mask: mask)
        XCTAssertEqual(exact.meanAbsoluteError, 0)
        XCTAssertEqual(exact.peakSignalToNoiseRatio, .infinity)
        let none = RecoveryMetrics(recovered: recovered, truth: truth, mask: VideoMask(frames: 1, height: 2, width: 2))
        XCTAssertTrue(none.meanAbsoluteError.isNaN && none.peakSignalToNoiseRatio.isNaN)
        XCTAssertEqual(none.occludedSamples, 0)
    }

    func testApplyAndInitialFill() {
        let occluded = Occlusion.apply(mask, to: truth, fill: -7)
        XCTAssertEqual(occluded.samples, [0, -7, -7, -7, 50, -7, -7, -7])
        XCTAssertEqual(Occlusion.visibleMeans(of: truth, mask: mask), [0, 50])
        let twoVisible = VideoMask(frames: 1, height: 2, width: 2, occluded: [false, true, false, true])
        XCTAssertEqual(Occlusion.visibleMeans(of: truth, mask: twoVisible), [10, 50])
        XCTAssertEqual(Occlusion.initialFill(truth, mask: twoVisible, method: .visibleMean).samples,
                       [0, 10, 20, 10, 50, 50, 50, 50])
        XCTAssertEqual(InitialFill(rawValue: "interp-temporal"), .temporalInterpolation)
    }

    func testMaskSizeCheckThrowsWithBothSizes() {
        let video = Video(channels: 1, frames: 3, height: 4, width: 5)
        XCTAssertNoThrow(try RecoveryError.check(VideoMask(frames: 3, height: 4, width: 5), fits: video))
        XCTAssertThrowsError(try RecoveryError.check(VideoMask(frames: 3, height: 5, width: 4), fits: video, maskName: "m.mat")) {
            XCTAssertEqual("\($0)", "m.mat: mask is 3 frames of 4x5 but the video is 3 frames of 5x4")
        }
    }

    func testComparisonScoresEveryMethod() {
        let video = makeVideo(channels: 1, frames: 8, height: 10, width: 10) { _, t, y, x in Float(2 * t + x + y) }
        let mask = MaskSpec.blocks(fraction: 0.2, size: 3).mask(for: video, seed: 4)
        let rows = BaselineComparison.run(video: video, mask: mask)
        XCTAssertEqual(rows.map(\.method), ["interp-temporal", "interp-spatial", "mrf-l2", "mrf-l1"])
        for row in rows {
            XCTAssertTrue(row.mae.isFinite && row.mae >= 0 && row.mae < 5, "\(row.method): MAE \(row.mae)")
            XCTAssertTrue(row.psnr > 20, "\(row.method): PSNR \(row.psnr)")
            XCTAssertGreaterThanOrEqual(row.seconds, 0)
        }
        XCTAssertNil(rows[0].report)
        XCTAssertNotNil(rows[2].report)
        // Header plus one line per method.
        let table = BaselineComparison.table(rows)
        XCTAssertEqual(table.split(separator: "\n").count, 5)
        XCTAssertTrue(table.hasPrefix("method"), table)
        XCTAssertTrue(table.contains("mrf-l1"), table)
    }
}
