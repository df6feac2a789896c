import Foundation
import STGMedia
import TestSupport
import XCTest

/// Frame folders (PNG natively, JPEG through ffmpeg), GIFs, single PNGs, several videos at once,
/// and the errors around them.
final class InputFolderTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = makeTemporaryDirectory("mediaio-folder") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func writePNG(_ image: Image, _ name: String) throws {
        try AtomicFile.write(PNG.encode(image), to: path(name))
    }

    func testPNGFolderSelectionAndCrop() throws {
        let video = FFmpegFixtures.pattern(frames: 6, height: 8, width: 10)
        try VideoOutput.writeFrames(video, to: path("frames"))
        let loaded = try VideoInput.load(path("frames"), request: VideoRequest(startFrame: 2, frames: 3,
                                                                                crop: CropRect(x: 1, y: 2, width: 4, height: 5)))
        XCTAssertEqual([loaded.channels, loaded.frames, loaded.height, loaded.width], [3, 3, 5, 4])
        XCTAssertEqual(loaded[1, 0, 0, 0], video[1, 2, 2, 1])
        XCTAssertEqual(loaded[2, 2, 4, 3], video[2, 4, 6, 4])
        assertMediaError(try VideoInput.load(path("frames"), request: VideoRequest(startFrame: 2, frames: 5)),
                         contains: [path("frames"), "7 frames", "has 6"])
    }

    func testPNGFolderResizeByArea() throws {
        let video = FFmpegFixtures.pattern(frames: 2, height: 8, width: 10)
        try VideoOutput.writeFrames(video, to: path("frames"))
        var request = VideoRequest(size: FrameSize(width: 5, height: 4))
        request.resizeMethod = .area
        let loaded = try VideoInput.load(path("frames"), request: request)
        XCTAssertEqual([loaded.channels, loaded.frames, loaded.height, loaded.width], [3, 2, 4, 5])
        // Halving both sides by area: each sample is the mean of a 2×2 block.
        for (c, t, y, x) in [(0, 0, 0, 0), (1, 1, 3, 4), (2, 0, 2, 1)] {
            let block = [video[c, t, 2 * y, 2 * x], video[c, t, 2 * y, 2 * x + 1],
                         video[c, t, 2 * y + 1, 2 * x], video[c, t, 2 * y + 1, 2 * x + 1]]
            XCTAssertEqual(loaded[c, t, y, x], block.reduce(0, +) / 4, accuracy: 1e-3)
        }
    }

    func testFramesSortByNumberAndHiddenFilesAreIgnored() throws {
        try FileManager.default.createDirectory(atPath: path("f"), withIntermediateDirectories: true)
        for (value, name) in [(2, "f/frame2.png"), (10, "f/frame10.png"), (1, "f/frame1.png")] {
            try writePNG(Image(width: 2, height: 1, channels: 1, pixels: [UInt8(value), 0]), name)
        }
        try AtomicFile.write([0], to: path("f/.DS_Store"))
        let loaded = try VideoInput.load(path("f"))
        XCTAssertEqual(loaded.channels, 1, "grey PNG frames stay grey")
        XCTAssertEqual((0..<3).map { loaded[0, $0, 0, 0] }, [1, 2, 10])
    }

    func testFolderErrors() throws {
        try FileManager.default.createDirectory(atPath: path("empty"), withIntermediateDirectories: true)
        assertMediaError(try VideoInput.load(path("empty")), contains: [path("empty"), "empty"])

        try FileManager.default.createDirectory(atPath: path("mixed"), withIntermediateDirectories: true)
        try writePNG(Image(width: 2, height: 2, channels: 3, pixels: Array(repeating: 9, count: 12)), "mixed/000.png")
        try AtomicFile.write(Array("notes".utf8), to: path("mixed/readme.txt"))
        assertMediaError(try VideoInput.load(path("mixed")), contains: [path("mixed"), "readme.txt"])

        try FileManager.default.createDirectory(atPath: path("sizes"), withIntermediateDirectories: true)
        try writePNG(Image(width: 4, height: 3, channels: 3, pixels: Array(repeating: 9, count: 36)), "sizes/000.png")
        try writePNG(Image(width: 4, height: 3, channels: 3, pixels: Array(repeating: 9, count: 36)), "sizes/001.png")
        try writePNG(Image(width: 5, height: 3, channels: 3, pixels: Array(repeating: 9, count: 45)), "sizes/002.png")
        assertMediaError(try VideoInput.load(path("sizes")), contains: [path("sizes/002.png"), "5x3", "4x3", "000.png"])

        try FileManager.default.createDirectory(atPath: path("fake"), withIntermediateDirectories: true)
        try writePNG(Image(width: 2, height: 2, channels: 3, pixels: Array(repeating: 9, count: 12)), "fake/000.png")
        try AtomicFile.write(Array("not a picture".utf8), to: path("fake/001.png"))
        assertMediaError(try VideoInput.load(path("fake")), contains: [path("fake/001.png"), "not a PNG"])

        assertMediaError(try VideoInput.load(path("absent")), contains: [path("absent"), "no such file"])
        assertMediaError(try VideoInput.load(path("sizes"), request: VideoRequest(framesPerSecond: 5)),
                         contains: [path("sizes"), "frame rate"])
    }

    func testSinglePNGIsOneFrame() throws {
        try writePNG(Image(width: 3, height: 2, channels: 1, pixels: [0, 50, 100, 150, 200, 250]), "still.png")
        let video = try VideoInput.load(path("still.png"))
        XCTAssertEqual([video.channels, video.frames, video.height, video.width], [1, 1, 2, 3])
        XCTAssertEqual(video.samples, [0, 50, 100, 150, 200, 250])
        assertMediaError(try VideoInput.load(path("still.png"), request: VideoRequest(frames: 2)),
                         contains: [path("still.png"), "2 frames", "has 1"])
    }

    func testWrongExtensionsAreErrorsNamingTheFile() throws {
        try AtomicFile.write(Array("plain text".utf8), to: path("x.png"))
        try AtomicFile.write(Array("plain text".utf8), to: path("x.gif"))
        assertMediaError(try VideoInput.load(path("x.png")), contains: [path("x.png")])
        assertMediaError(try VideoInput.load(path("x.gif")), contains: [path("x.gif"), "not a GIF"])
    }

    func testGIFRoundTripAndFrameRateResampling() throws {
        let video = FFmpegFixtures.pattern(frames: 6, height: 5, width: 7)
        try VideoOutput.writeGIF(video, to: path("clip.gif"), frameRate: 10)
        let loaded = try VideoInput.load(path("clip.gif"))
        XCTAssertEqual([loaded.channels, loaded.frames, loaded.height, loaded.width], [3, 6, 5, 7])
        XCTAssertEqual(loaded.frameRate ?? 0, 10, accuracy: 1e-9)
        XCTAssertEqual(loaded.samples, video.samples, "210 colours fit one palette: exact")
        let info = try VideoInput.probe(path("clip.gif"))
        XCTAssertEqual(info.frameCount, 6)
        // 5 fps keeps frames 0, 2, 4; start 1 and two frames give 2, 4.
        let half = try VideoInput.load(path("clip.gif"), request: VideoRequest(startFrame: 1, frames: 2, framesPerSecond: 5))
        XCTAssertEqual(half.frames, 2)
        XCTAssertEqual(half[0, 0, 0, 0], video[0, 2, 0, 0])
        XCTAssertEqual(half[0, 1, 0, 0], video[0, 4, 0, 0])
        // A grey GIF loads as one channel.
        try VideoOutput.writeGIF(FFmpegFixtures.pattern(channels: 1, frames: 2, height: 3, width: 3), to: path("grey.gif"))
        XCTAssertEqual(try VideoInput.load(path("grey.gif")).channels, 1)
        XCTAssertEqual(try VideoInput.probe(path("grey.gif")).channels, 1)
    }

    func testJPEGFolderThroughFFmpeg() throws {
        let ffmpeg = try FFmpegFixtures.ffmpeg()
        try FileManager.default.createDirectory(atPath: path("jpeg"), withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=32x24:rate=10", "-frames:v", "5",
                             "-start_number", "0", path("jpeg/%03d.jpg")]
        try process.run()
        process.waitUntilExit()
        let loaded = try VideoInput.load(path("jpeg"), request: VideoRequest(startFrame: 1, frames: 3, size: FrameSize(width: 16, height: 12)))
        XCTAssertEqual([loaded.channels, loaded.frames, loaded.height, loaded.width], [3, 3, 12, 16])
        let info = try VideoInput.probe(path("jpeg"))
        XCTAssertEqual([info.frameCount, info.size.width, info.size.height], [5, 32, 24])
        try AtomicFile.write(Array("text".utf8), to: path("jpeg/005.jpg"))
        assertMediaError(try VideoInput.load(path("jpeg")), contains: [path("jpeg/005.jpg"), "not a JPEG"])
    }

    func testLoadManyWithPatternsFoldersAndSizes() throws {
        _ = try FFmpegFixtures.ffmpeg()
        try FileManager.default.createDirectory(atPath: path("many"), withIntermediateDirectories: true)
        try FFmpegFixtures.writeLossless(FFmpegFixtures.pattern(frames: 4, height: 8, width: 8), to: path("many/a.mkv"))
        try FFmpegFixtures.writeLossless(FFmpegFixtures.pattern(frames: 4, height: 8, width: 8), to: path("many/b.mkv"))
        try VideoOutput.writeGIF(FFmpegFixtures.pattern(frames: 4, height: 6, width: 10), to: path("many/c.gif"))
        // Pattern: the two .mkv files, in name order.
        let two = try VideoInput.loadMany([path("many/*.mkv")])
        XCTAssertEqual(two.count, 2)
        XCTAssertEqual(try VideoInput.expandPaths([path("many/*.mkv")]), [path("many/a.mkv"), path("many/b.mkv")])
        // The folder: three videos of two sizes, an error listing them unless a size is given.
        assertMediaError(try VideoInput.loadMany([path("many")]), contains: ["8x8", "10x6", "c.gif"])
        let three = try VideoInput.loadMany([path("many")], request: VideoRequest(frames: 3, size: FrameSize(width: 8, height: 8)))
        XCTAssertEqual(three.map { [$0.channels, $0.frames, $0.height, $0.width] }, Array(repeating: [3, 3, 8, 8], count: 3))
        assertMediaError(try VideoInput.loadMany([path("many/*.webm")]), contains: ["*.webm", "no files match"])
        // A folder of videos is not one video; a folder mixing videos and notes is neither.
        assertMediaError(try VideoInput.load(path("many")), contains: [path("many"), "videos, not frames", "a.mkv"])
        try AtomicFile.write(Array("notes".utf8), to: path("many/notes.txt"))
        assertMediaError(try VideoInput.loadMany([path("many")]), contains: [path("many"), "notes.txt"])
    }

    func testSharedFrameFolder() throws {
        guard let frames = SharedData.path("recovery/fountain/frames") else { throw XCTSkip("shared data absent") }
        let video = try VideoInput.load(frames)
        XCTAssertEqual([video.channels, video.frames, video.height, video.width], [3, 70, 100, 100])
    }
}
