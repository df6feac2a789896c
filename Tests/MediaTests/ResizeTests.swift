import STGMedia
import TestSupport
import XCTest

/// Resizing: hand-computed 1-D and 2-D values for each method, constants preserved, video and
/// mask layouts.
final class ResizeTests: XCTestCase {
    func assertClose(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        let comparison = ArrayComparison(expected: expected, actual: actual, tolerance: 1e-5)
        XCTAssertTrue(comparison.passed, comparison.description, file: file, line: line)
    }

    func row(_ values: [Float], to width: Int, _ method: ResizeMethod) -> [Float] {
        Resize.plane(values, width: values.count, height: 1, toWidth: width, toHeight: 1, method: method)
    }

    func testBilinearEnlargeUsesHalfPixelCentres() {
        // Target centres 0.25, 0.75, 1.25, 1.75 in source pixels (source centres 0.5, 1.5):
        // clamped, then 3:1 and 1:3 mixes.
        assertClose(row([0, 10], to: 4, .bilinear), [0, 2.5, 7.5, 10])
        // 3 → 5: centres 0.3, 0.9, 1.5, 2.1, 2.7: clamped, 0 + 0.4·10, 10, 10 + 0.6·30, clamped.
        assertClose(row([0, 10, 40], to: 5, .bilinear), [0, 4, 10, 28, 40])
    }

    func testBilinearShrinkWidensTheTriangle() {
        // 4 → 2 (PIL BILINEAR): centre 1, support 2: taps 0, 1, 2 weigh 0.75, 0.75, 0.25;
        // centre 3: taps 1, 2, 3 weigh 0.25, 0.75, 0.75.
        assertClose(row([0, 10, 20, 30], to: 2, .bilinear), [12.5 / 1.75, 40 / 1.75])
        // 8 → 1: centre 4, support 8: weights 1 − |j + ½ − 4|/8 = 4.5, 5.5, 6.5, 7.5, 7.5, 6.5,
        // 5.5, 4.5 (/8), summing to 6.
        let spike: [Float] = [0, 0, 0, 80, 0, 0, 0, 0]
        assertClose(row(spike, to: 1, .bilinear), [80 * 7.5 / 48])
    }

    func testAreaAveragesCoveredPixels() {
        assertClose(row([0, 10, 20, 30], to: 2, .area), [5, 25])
        // 3 → 2: [0, 1.5) and [1.5, 3): half of the middle pixel goes to each.
        assertClose(row([0, 10, 20], to: 2, .area), [5 / 1.5, 25 / 1.5])
        // 2 → 3: [0, 2/3), [2/3, 4/3), [4/3, 2).
        assertClose(row([0, 30], to: 3, .area), [0, 15, 30])
    }

    func testNearestPicksThePixelUnderTheCentre() {
        assertClose(row([0, 10, 20, 30], to: 2, .nearest), [10, 30])
        assertClose(row([0, 10], to: 4, .nearest), [0, 0, 10, 10])
        assertClose(row([0, 10, 20], to: 2, .nearest), [0, 20])
    }

    func testTwoDimensionsAreSeparable() {
        // 2×2 → 4×4 bilinear: row and column weights (1, 0), (¾, ¼), (¼, ¾), (0, 1).
        let out = Resize.plane([0, 10, 20, 30], width: 2, height: 2, toWidth: 4, toHeight: 4)
        assertClose(out, [
            0, 2.5, 7.5, 10,
            5, 7.5, 12.5, 15,
            15, 17.5, 22.5, 25,
            20, 22.5, 27.5, 30,
        ])
        // 3 wide × 2 high → 1 × 1 area: the mean.
        assertClose(Resize.plane([1, 2, 3, 4, 5, 6], width: 3, height: 2, toWidth: 1, toHeight: 1, method: .area), [3.5])
    }

    func testConstantsStayConstant() {
        for method in ResizeMethod.allCases {
            for (w, h, tw, th) in [(7, 5, 3, 11), (100, 100, 64, 64), (5, 3, 17, 2)] {
                let out = Resize.plane([Float](repeating: 42, count: w * h), width: w, height: h, toWidth: tw, toHeight: th, method: method)
                XCTAssertEqual(out.count, tw * th)
                XCTAssertLessThan(out.map { abs($0 - 42) }.max()!, 1e-4, "\(method) \(w)x\(h) → \(tw)x\(th)")
            }
        }
    }

    func testVideoPlanesResizeIndependently() {
        // 2 channels × 2 frames of 2×1 (width 2, height 1), each plane a different ramp.
        let video = Video(channels: 2, frames: 2, height: 1, width: 2, samples: [0, 10, 100, 110, 200, 210, 50, 60], frameRate: 25)
        let out = Resize.video(video, width: 4, height: 2, method: .bilinear)
        XCTAssertEqual([out.channels, out.frames, out.height, out.width], [2, 2, 2, 4])
        XCTAssertEqual(out.frameRate, 25)
        assertClose(out.samples, [
            0, 2.5, 7.5, 10, 0, 2.5, 7.5, 10,
            100, 102.5, 107.5, 110, 100, 102.5, 107.5, 110,
            200, 202.5, 207.5, 210, 200, 202.5, 207.5, 210,
            50, 52.5, 57.5, 60, 50, 52.5, 57.5, 60,
        ])
    }

    func testMaskNearest() {
        // 1 frame 3×3 with the centre occluded → 6×6: the centre 2×2 block.
        var mask = VideoMask(frames: 1, height: 3, width: 3)
        mask[0, 1, 1] = true
        let big = Resize.mask(mask, width: 6, height: 6)
        XCTAssertEqual(big.occludedCount, 4)
        XCTAssertTrue(big[0, 2, 2] && big[0, 2, 3] && big[0, 3, 2] && big[0, 3, 3])
        // 150 → 100 keeps the occluded fraction of a 60×60 square close (published masks).
        var square = VideoMask(frames: 2, height: 150, width: 150)
        for y in 30..<90 { for x in 45..<105 { square[1, y, x] = true } }
        let small = Resize.mask(square, width: 100, height: 100)
        XCTAssertEqual(small.occludedCount, 40 * 40)
        XCTAssertFalse(small[0, 50, 50])
        XCTAssertTrue(small[1, 20, 30] && small[1, 59, 69])
    }
}
