import Foundation
import STGMedia
import TestSupport
import XCTest

/// Writing frame folders, GIFs and MP4s: round trips through `VideoInput`, atomic replacement,
/// display mapping, and the missing-ffmpeg warning.
final class OutputTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = makeTemporaryDirectory("mediaio-output") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Names in the test folder (recursively) that a temporary write left behind.
    func leftovers() -> [String] {
        let all = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        return all.filter { $0.contains(".partial-") }
    }

    func testFrameFolderRoundTripIsExact() throws {
        let video = FFmpegFixtures.pattern(frames: 5, height: 7, width: 9)
        try VideoOutput.writeFrames(video, to: path("frames"))
        let names = try FileManager.default.contentsOfDirectory(atPath: path("frames")).sorted()
        XCTAssertEqual(names, ["000.png", "001.png", "002.png", "003.png", "004.png"])
        let loaded = try VideoInput.load(path("frames"))
        XCTAssertEqual(loaded.samples, video.samples)
        XCTAssertEqual(leftovers(), [])
    }

    func testRewritingAFolderReplacesItWhole() throws {
        let long = FFmpegFixtures.pattern(frames: 4, height: 4, width: 4)
        try VideoOutput.writeFrames(long, to: path("out"))
        try VideoOutput.writeFrames(long.frames(0..<2), to: path("out"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("out")).sorted(), ["000.png", "001.png"])
        XCTAssertEqual(leftovers(), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out"])
    }

    func testAtomicFileWriteReplacesAndLeavesNoTemporary() throws {
        try AtomicFile.write([1, 2, 3], to: path("a.bin"))
        try AtomicFile.write([4, 5], to: path("a.bin"))
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path("a.bin")))), [4, 5])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.bin"])
        // A failing body leaves neither the folder nor its temporary.
        XCTAssertThrowsError(try AtomicFile.writeFolder(at: path("never")) { _ in throw MediaError("x", "fails") })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.bin"])
        // A missing parent folder is an error naming the file.
        assertMediaError(try AtomicFile.write([1], to: path("missing/b.bin")), contains: ["missing/b.bin"])
    }

    func testFrameNamesGrowPastAThousand() {
        XCTAssertEqual(VideoOutput.frameName(7, of: 70), "007.png")
        XCTAssertEqual(VideoOutput.frameName(7, of: 1000), "007.png")
        XCTAssertEqual(VideoOutput.frameName(7, of: 1001), "0007.png")
    }

    func testDisplayMappings() {
        let video = Video(channels: 1, frames: 2, height: 1, width: 3, samples: [-1, 0, 1, 300, 12.4, -5])
        XCTAssertEqual(video.image(frame: 0).pixels, [0, 0, 1])
        XCTAssertEqual(video.image(frame: 1).pixels, [255, 12, 0])
        // Per frame: min → 0, max → 255; 0 is the middle of [-1, 1] → 127.5 → 128.
        XCTAssertEqual(video.image(frame: 0, mapping: .stretch).pixels, [0, 128, 255])
        XCTAssertEqual(video.image(frame: 1, mapping: .stretch).pixels, [255, 15, 0])
        let flat = Video(channels: 1, frames: 1, height: 1, width: 2, samples: [7, 7])
        XCTAssertEqual(flat.image(frame: 0, mapping: .stretch).pixels, [7, 7])
    }

    func testMP4RoundTripPadsOddSizes() throws {
        _ = try FFmpegFixtures.ffmpeg()
        let video = FFmpegFixtures.pattern(frames: 10, height: 17, width: 23)
        var output = VideoOutput(formats: [.mp4], frameRate: 12)
        try output.write(video, to: path("clip"))
        XCTAssertEqual(output.report.written, [path("clip") + ".mp4"])
        XCTAssertEqual(output.report.warnings, [])
        let info = try VideoInput.probe(path("clip.mp4"))
        XCTAssertEqual(info.size, FrameSize(width: 24, height: 18))
        XCTAssertEqual(info.frameCount, 10)
        XCTAssertEqual(info.frameRate ?? 0, 12, accuracy: 1e-9)
        let loaded = try VideoInput.load(path("clip.mp4"), request: VideoRequest(crop: CropRect(x: 0, y: 0, width: 23, height: 17)))
        XCTAssertEqual(loaded.frames, 10)
        // Lossy, but the pattern's mean survives.
        let mean = { (v: Video) in v.samples.reduce(0, +) / Float(v.samples.count) }
        XCTAssertEqual(mean(loaded), mean(video), accuracy: 6)
        XCTAssertEqual(leftovers(), [])
    }

    func testMissingFFmpegSkipsMP4WithOneWarning() throws {
        var output = VideoOutput(formats: [.frames, .mp4], ffmpegPath: "/nonexistent/ffmpeg")
        let video = FFmpegFixtures.pattern(frames: 2, height: 4, width: 4)
        try output.write(video, to: path("a"))
        try output.write(video, to: path("b"))
        XCTAssertEqual(output.report.written, [path("a"), path("b")])
        XCTAssertEqual(output.report.warnings.count, 1)
        XCTAssert(output.report.warnings[0].contains("/nonexistent/ffmpeg"))
    }

    func testFailingFFmpegQuotesItsError() throws {
        _ = try FFmpegFixtures.ffmpeg()
        // ffmpeg cannot create a file in a folder that does not exist.
        let target = path("no/such/folder/x.mp4")
        assertMediaError(try VideoOutput.writeMP4(FFmpegFixtures.pattern(frames: 2, height: 4, width: 4), to: target,
                                                  ffmpeg: try FFmpegFixtures.ffmpeg()),
                         contains: [target, "ffmpeg failed", "No such file or directory"])
    }
}
