import STGMedia
import STGRecovery
import XCTest

final class MaskSpecTests: XCTestCase {
    func testParsesEveryFormAndDescriptionRoundTrips() throws {
        let cases: [(String, MaskSpec)] = [
            ("pixels:0.5", .pixels(fraction: 0.5)),
            ("blocks:0.3:8", .blocks(fraction: 0.3, size: 8)),
            ("region:0.16", .region(fraction: 0.16, moving: false)),
            ("region:0.16:moving", .region(fraction: 0.16, moving: true)),
            ("frames:0.5", .frames(fraction: 0.5)),
            ("middle-frames", .middleFrames),
        ]
        for (text, expected) in cases {
            let spec = try MaskSpec(parsing: text)
            XCTAssertEqual(spec, expected, text)
            XCTAssertEqual(spec.description, text)
            XCTAssertEqual(try MaskSpec(parsing: spec.description), spec)
        }
        XCTAssertEqual(try MaskSpec(parsing: " Region:0.25:fixed "), .region(fraction: 0.25, moving: false))
        XCTAssertEqual(try MaskSpec(parsing: "PIXELS:1"), .pixels(fraction: 1))
        XCTAssertEqual(try MaskSpec(parsing: "frames:0.1").description, "frames:0.1")
    }

    func testBadSpecsThrowNamingTheSpecAndAcceptedForms() {
        let bad = [
            "", "pixels", "pixels:", "pixels:abc", "pixels:1.5", "pixels:-0.1", "pixels:0.1:2",
            "blocks:0.3", "blocks:0.3:0", "blocks:0.3:2.5", "region:0", "region:0.2:sideways",
            "frames:nan", "middle-frames:3", "holes:0.3",
        ]
        for text in bad {
            XCTAssertThrowsError(try MaskSpec(parsing: text), text) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("'\(text)'"), "message does not name the spec: \(message)")
                XCTAssertTrue(message.contains("blocks:P:S") && message.contains("middle-frames"),
                              "message does not list the accepted forms: \(message)")
            }
        }
    }

    func testGenerationIsReproducibleAndSeedDependent() throws {
        for text in ["pixels:0.3", "blocks:0.3:8", "region:0.16", "region:0.16:moving", "frames:0.5"] {
            let spec = try MaskSpec(parsing: text)
            let a = spec.mask(frames: 12, height: 40, width: 30, seed: 7)
            let b = spec.mask(frames: 12, height: 40, width: 30, seed: 7)
            let c = spec.mask(frames: 12, height: 40, width: 30, seed: 8)
            XCTAssertEqual(a, b, text)
            XCTAssertNotEqual(a, c, "\(text): seeds 7 and 8 gave the same mask")
            XCTAssertEqual(a.frames, 12)
            XCTAssertEqual(a.height, 40)
            XCTAssertEqual(a.width, 30)
        }
    }

    func testPixelsFraction() throws {
        let mask = try MaskSpec(parsing: "pixels:0.3").mask(frames: 20, height: 50, width: 50, seed: 1)
        // 50 000 Bernoulli(0.3) draws: standard deviation 0.002.
        XCTAssertEqual(mask.occludedFraction, 0.3, accuracy: 0.01)
        XCTAssertEqual(try MaskSpec(parsing: "pixels:0").mask(frames: 3, height: 5, width: 5, seed: 1).occludedCount, 0)
        XCTAssertEqual(try MaskSpec(parsing: "pixels:1").mask(frames: 3, height: 5, width: 5, seed: 1).occludedCount, 75)
    }

    func testBlocksCoverTheFractionOfEachFrame() throws {
        let (h, w, s) = (50, 60, 8)
        let mask = try MaskSpec(parsing: "blocks:0.3:\(s)").mask(frames: 6, height: h, width: w, seed: 3)
        for t in 0..<6 {
            let count = (0..<h * w).filter { mask.occluded[t * h * w + $0] }.count
            let fraction = Double(count) / Double(h * w)
            // At least the target; the last block overshoots by fewer than S² pixels.
            XCTAssertGreaterThanOrEqual(fraction, 0.3, "frame \(t)")
            XCTAssertLessThan(fraction, 0.3 + Double(s * s) / Double(h * w), "frame \(t)")
        }
        let full = try MaskSpec(parsing: "blocks:1:4").mask(frames: 2, height: 9, width: 7, seed: 3)
        XCTAssertEqual(full.occludedCount, 2 * 9 * 7)
        // A block larger than the frame is clamped to it.
        XCTAssertEqual(try MaskSpec(parsing: "blocks:0.1:50").mask(frames: 1, height: 9, width: 7, seed: 3).occludedCount, 63)
    }

    /// Bounding box of frame t's occluded pixels and their count.
    private func box(_ mask: VideoMask, _ t: Int) -> (y: Range<Int>, x: Range<Int>, count: Int) {
        var (y0, y1, x0, x1, count) = (Int.max, -1, Int.max, -1, 0)
        for y in 0..<mask.height {
            for x in 0..<mask.width where mask[t, y, x] {
                (y0, y1, x0, x1) = (min(y0, y), max(y1, y), min(x0, x), max(x1, x))
                count += 1
            }
        }
        return (y0..<y1 + 1, x0..<x1 + 1, count)
    }

    func testRegionIsOneRectangleOfTheFraction() throws {
        let fixed = try MaskSpec(parsing: "region:0.16").mask(frames: 10, height: 100, width: 100, seed: 5)
        let first = box(fixed, 0)
        for t in 0..<10 {
            let b = box(fixed, t)
            XCTAssertEqual(b.y.count, 40)
            XCTAssertEqual(b.x.count, 40)
            XCTAssertEqual(b.count, 1600, "frame \(t) is not one full 40×40 rectangle")
            XCTAssertEqual(b.y, first.y)
            XCTAssertEqual(b.x, first.x)
        }
        let moving = try MaskSpec(parsing: "region:0.16:moving").mask(frames: 32, height: 100, width: 100, seed: 5)
        var previous = box(moving, 0)
        for t in 0..<32 {
            let b = box(moving, t)
            XCTAssertEqual(b.count, 1600, "frame \(t) is not one full 40×40 rectangle")
            XCTAssertEqual(b.y.count * b.x.count, 1600)
            // Smooth: at most a few pixels per frame (60 px of room over 31 steps).
            XCTAssertLessThanOrEqual(abs(b.x.lowerBound - previous.x.lowerBound), 3, "frame \(t)")
            XCTAssertLessThanOrEqual(abs(b.y.lowerBound - previous.y.lowerBound), 3, "frame \(t)")
            previous = b
        }
        // It crosses the frame: from the left quarter of the free range to the right quarter.
        XCTAssertGreaterThanOrEqual(abs(box(moving, 31).x.lowerBound - box(moving, 0).x.lowerBound), 30)
    }

    func testWholeFrames() throws {
        let mask = try MaskSpec(parsing: "frames:0.5").mask(frames: 32, height: 6, width: 5, seed: 9)
        let plane = 30
        var missing = 0
        for t in 0..<32 {
            let count = (0..<plane).filter { mask.occluded[t * plane + $0] }.count
            XCTAssertTrue(count == 0 || count == plane, "frame \(t) is partly occluded")
            if count == plane { missing += 1 }
        }
        XCTAssertEqual(missing, 16)
        let middle = MaskSpec.middleFrames.mask(frames: 32, height: 6, width: 5, seed: 0)
        for t in 0..<32 {
            XCTAssertEqual(middle[t, 3, 2], (10..<21).contains(t), "frame \(t)")
            XCTAssertEqual(middle[t, 0, 0], middle[t, 5, 4])
        }
    }
}

final class MaskResamplingTests: XCTestCase {
    func testNearestNeighbourResizeAndFrameSlice() {
        // Frame 1 of 6×6 has a 3×3 block at rows 0..<3, columns 3..<6. Halved to 3×3, target i
        // samples source (2i + 1)·6 / 6 = 1, 3, 5: row 1 (target row 0) and columns 3, 5
        // (target columns 1, 2) are in the block.
        let mask = makeMask(frames: 2, height: 6, width: 6) { t, y, x in t == 1 && y < 3 && x >= 3 }
        let small = MaskTransform.resizedNearest(mask, height: 3, width: 3)
        XCTAssertEqual(small.frames, 2)
        XCTAssertEqual(small.occluded, [Bool](repeating: false, count: 9) + [
            false, true, true,
            false, false, false,
            false, false, false,
        ])
        // 150 → 100 keeps a 60×60 square as a 40×40 one (16 % stays 16 %).
        let square = makeMask(frames: 1, height: 150, width: 150) { _, y, x in (30..<90).contains(y) && (45..<105).contains(x) }
        XCTAssertEqual(MaskTransform.resizedNearest(square, height: 100, width: 100).occludedCount, 1600)
        // Upsampling repeats pixels: target i samples (2i + 1)·3 / 12 = 0, 0, 1, 1, 2, 2.
        XCTAssertEqual(MaskTransform.resizedNearest(small, height: 6, width: 6).occludedCount, 2 * 4)
        XCTAssertEqual(MaskTransform.frames(1..<2, of: mask).occludedCount, 9)
        XCTAssertEqual(MaskTransform.frames(0..<1, of: mask).occludedCount, 0)
    }
}

final class MaskDilationTests: XCTestCase {
    func testDilationGrowsASquarePerFrameAndStopsAtTheBorder() {
        // Frame 0: pixel (2, 3) of 6×7; frame 1: corner (0, 0); frame 2: empty.
        let mask = makeMask(frames: 3, height: 6, width: 7) { t, y, x in
            (t == 0 && y == 2 && x == 3) || (t == 1 && y == 0 && x == 0)
        }
        let grown = mask.dilated(by: 1)
        for y in 0..<6 {
            for x in 0..<7 {
                XCTAssertEqual(grown[0, y, x], (1...3).contains(y) && (2...4).contains(x), "frame 0 (\(y), \(x))")
                XCTAssertEqual(grown[1, y, x], y <= 1 && x <= 1, "frame 1 (\(y), \(x))")
                XCTAssertFalse(grown[2, y, x], "frame 2 (\(y), \(x))")
            }
        }
        XCTAssertEqual(mask.dilated(by: 0), mask)
        XCTAssertEqual(mask.dilated(by: 2).occludedCount, 25 + 9)
    }
}
