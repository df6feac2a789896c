import Foundation
import STGMedia
import TestSupport
import XCTest

/// Occlusion masks from PNG frames, GIFs, lossy mask videos and MAT-files.
final class MaskInputTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = makeTemporaryDirectory("mediaio-mask") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A 3-frame 8×10 grey video with a 3×4 white square at (x 2 + t, y 1) in frame t.
    func squares(frames: Int = 3) -> Video {
        var video = Video(channels: 1, frames: frames, height: 8, width: 10)
        for t in 0..<frames { for y in 1..<4 { for x in (2 + t)..<(6 + t) { video[0, t, y, x] = 255 } } }
        return video
    }

    func expectedFlags(frames: Int = 3) -> [Bool] {
        let video = squares(frames: frames)
        return video.samples.map { $0 > 0 }
    }

    func testPNGFolderAndGIFMasks() throws {
        try VideoOutput.writeFrames(squares(), to: path("mask"))
        let mask = try MaskInput.load(path("mask"), frames: nil, size: FrameSize(width: 10, height: 8), resize: false)
        XCTAssertEqual([mask.frames, mask.height, mask.width], [3, 8, 10])
        XCTAssertEqual(mask.occluded, expectedFlags())
        XCTAssertEqual(mask.occludedCount, 36)
        try VideoOutput.writeGIF(squares(), to: path("mask.gif"))
        let fromGIF = try MaskInput.load(path("mask.gif"), frames: 2, size: FrameSize(width: 10, height: 8), resize: false)
        XCTAssertEqual(fromGIF.occluded, Array(expectedFlags()[0..<160]))
    }

    func testSizeMismatchAndDegenerateMasksAreErrors() throws {
        try VideoOutput.writeFrames(squares(), to: path("mask"))
        assertMediaError(try MaskInput.load(path("mask"), frames: nil, size: FrameSize(width: 5, height: 4), resize: false),
                         contains: [path("mask"), "10x8", "5x4"])
        assertMediaError(try MaskInput.load(path("mask"), frames: 4, size: FrameSize(width: 10, height: 8), resize: false),
                         contains: [path("mask"), "4 frames", "has 3"])
        try VideoOutput.writeFrames(Video(channels: 1, frames: 2, height: 4, width: 4), to: path("zeros"))
        assertMediaError(try MaskInput.load(path("zeros"), frames: nil, size: FrameSize(width: 4, height: 4), resize: false),
                         contains: [path("zeros"), "nothing"])
        var white = Video(channels: 1, frames: 2, height: 4, width: 4)
        white.samples = Array(repeating: 255, count: 32)
        try VideoOutput.writeFrames(white, to: path("ones"))
        assertMediaError(try MaskInput.load(path("ones"), frames: nil, size: FrameSize(width: 4, height: 4), resize: false),
                         contains: [path("ones"), "everything"])
    }

    func testLossyMaskVideoIsThresholdedAt128() throws {
        let ffmpeg = try FFmpegFixtures.ffmpeg()
        // Lossy H.264 smears the square's edges; thresholding at 128 recovers most of it.
        var big = Video(channels: 1, frames: 4, height: 32, width: 32)
        for t in 0..<4 { for y in 8..<24 { for x in 8..<24 { big[0, t, y, x] = 255 } } }
        try VideoOutput.writeMP4(big, to: path("mask.mp4"), ffmpeg: ffmpeg)
        let mask = try MaskInput.load(path("mask.mp4"), frames: 4, size: FrameSize(width: 32, height: 32), resize: false)
        let expected = big.samples.map { $0 > 0 }
        let agree = zip(mask.occluded, expected).filter { $0.0 == $0.1 }.count
        XCTAssertGreaterThan(Double(agree) / Double(expected.count), 0.98)
        XCTAssertTrue(mask[2, 16, 16])
        XCTAssertFalse(mask[2, 2, 2])
    }

    func testFountainMATMasksMatchTheirPNGExports() throws {
        for name in ["region_type", "missing_frame_type"] {
            guard let mat = SharedData.path("recovery/fountain/mask/\(name).mat"),
                  let pngs = SharedData.path("recovery/fountain/mask/\(name)") else { throw XCTSkip("shared data absent") }
            let size = FrameSize(width: 150, height: 150)
            let fromMAT = try MaskInput.load(mat, frames: nil, size: size, resize: false)
            let fromPNG = try MaskInput.load(pngs, frames: nil, size: size, resize: false)
            XCTAssertEqual([fromMAT.frames, fromMAT.height, fromMAT.width], [70, 150, 150])
            let differing = zip(fromMAT.occluded, fromPNG.occluded).filter { $0.0 != $0.1 }.count
            XCTAssertEqual(differing, 0, "\(name): \(differing) pixels differ between the .mat and the PNG export")
            if name == "region_type" {
                // Onto the 100×100 frames: an error giving both sizes, or nearest resizing.
                let frameSize = FrameSize(width: 100, height: 100)
                assertMediaError(try MaskInput.load(mat, frames: 70, size: frameSize, resize: false),
                                 contains: [mat, "150x150", "100x100"])
                let small = try MaskInput.load(mat, frames: 70, size: frameSize, resize: true)
                XCTAssertEqual([small.frames, small.height, small.width], [70, 100, 100])
                // Nearest: target (y, x) takes source (⌊1.5·y + 0.75⌋, ⌊1.5·x + 0.75⌋).
                for (t, y, x) in [(0, 0, 0), (5, 40, 60), (69, 99, 99), (33, 17, 81)] {
                    XCTAssertEqual(small[t, y, x], fromMAT[t, (3 * y + 1) / 2, (3 * x + 1) / 2])
                }
                // One 60×60 square per frame.
                XCTAssertEqual(fromMAT.occludedCount, 70 * 3600)
            } else {
                // 35 frames entirely missing, frame 0 among them, frame 1 not.
                XCTAssertEqual(fromMAT.occludedCount, 35 * 22500)
                XCTAssertTrue(fromMAT[0, 75, 75])
                XCTAssertFalse(fromMAT[1, 75, 75])
            }
        }
    }

    func testBoatsMasks() throws {
        guard let mat = SharedData.path("inpainting/boats/mask/mask128.mat"),
              let video = SharedData.path("inpainting/boats/mask/boats_mask.mp4") else { throw XCTSkip("shared data absent") }
        let fromMAT = try MaskInput.load(mat, frames: 40, size: FrameSize(width: 128, height: 128), resize: false)
        XCTAssertEqual(fromMAT.frames, 40)
        // Frames 0–30 are all zero; the boat appears from frame 31.
        XCTAssertEqual(fromMAT.frames(0..<31).occludedCount, 0)
        XCTAssertGreaterThan(fromMAT.occludedCount, 0)
        _ = try FFmpegFixtures.ffmpeg()
        let fromVideo = try MaskInput.load(video, frames: 40, size: FrameSize(width: 320, height: 240), resize: false)
        XCTAssertEqual(fromVideo.frames(0..<31).occludedCount, 0)
        XCTAssertGreaterThan(fromVideo.occludedCount, 0)
        assertMediaError(try MaskInput.load(mat, frames: 200, size: FrameSize(width: 128, height: 128), resize: false),
                         contains: [mat, "200", "150"])
        // A start frame keeps the mask aligned with a video loaded from the same frame.
        let late = try MaskInput.load(mat, frames: 10, size: FrameSize(width: 128, height: 128), startFrame: 30)
        XCTAssertEqual(late.occluded, fromMAT.frames(30..<40).occluded)
        let lateVideo = try MaskInput.load(video, frames: 10, size: FrameSize(width: 320, height: 240), startFrame: 30)
        XCTAssertEqual(lateVideo.occluded, fromVideo.frames(30..<40).occluded)
    }
}
