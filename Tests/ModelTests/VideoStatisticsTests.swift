import STGConvNet
import STGMedia
import XCTest

final class VideoStatisticsTests: XCTestCase {
    /// Hand-computed: one channel, 2 frames of 1×2: frame 0 = [0, 10], frame 1 = [20, 30].
    func testHandComputedStatistics() {
        let video = Video(channels: 1, frames: 2, height: 1, width: 2, samples: [0, 10, 20, 30])
        let stats = VideoStatistics(video)
        XCTAssertEqual(stats.channelMeans, [15])
        XCTAssertEqual(stats.channelStds[0], (125.0).squareRoot(), accuracy: 1e-9)  // values ±5, ±15
        XCTAssertEqual(stats.temporalDifference, 20)
        // Horizontal differences 10 and 10; no vertical neighbours, so the vertical mean is 0.
        XCTAssertEqual(stats.spatialGradient, 5)
    }

    func testValuesAreClippedToTheDisplayRange() {
        let video = Video(channels: 1, frames: 1, height: 1, width: 2, samples: [-50, 300])
        XCTAssertEqual(VideoStatistics(video).channelMeans, [127.5])
    }

    /// A chain that copies the observed clip scores 0 in step and is in step on every frame;
    /// a shifted copy is not in step.
    func testNoveltyReportDetectsCopies() {
        let observed = Video(channels: 1, frames: 4, height: 1, width: 1, samples: [0, 40, 80, 120])
        let copy = observed
        let shifted = Video(channels: 1, frames: 4, height: 1, width: 1, samples: [40, 80, 120, 0])
        let report = NoveltyReport(chains: [copy, shifted], observed: observed)
        // Unit: frames half the clip apart differ by 80.
        XCTAssertEqual(report.observedFrameDifference, 80)
        XCTAssertEqual(report.toObservedInStep[0], 0)
        XCTAssertEqual(report.inStepFraction[0], 1)
        XCTAssertEqual(report.toNearestObservedFrame[1], 0, "every shifted frame exists in the clip")
        XCTAssertEqual(report.inStepFraction[1], 0)
        XCTAssertEqual(report.toObservedInStep[1], (40 + 40 + 40 + 120) / 4 / 80)
        XCTAssertEqual(report.betweenChains!, (40 + 40 + 40 + 120) / 4 / 80)
    }
}
