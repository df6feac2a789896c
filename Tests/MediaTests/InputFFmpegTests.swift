import Foundation
import STGMedia
import TestSupport
import XCTest

/// Container input through ffmpeg: probing, frame selection, crop, resize, frame rate, grey, and
/// the errors around them.
final class InputFFmpegTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = makeTemporaryDirectory("mediaio-input") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// A 3 × 20 × 12 × 16 pattern video written as lossless .mkv at 10 fps.
    func patternFile() throws -> (path: String, video: Video) {
        let video = FFmpegFixtures.pattern(frames: 20, height: 12, width: 16)
        let path = folder.appendingPathComponent("pattern.mkv").path
        try FFmpegFixtures.writeLossless(video, to: path)
        return (path, video)
    }

    func testProbeGivesSizeFramesAndRate() throws {
        let (path, _) = try patternFile()
        let info = try VideoInput.probe(path)
        XCTAssertEqual(info.size, FrameSize(width: 16, height: 12))
        XCTAssertEqual(info.frameCount, 20)
        XCTAssertEqual(info.frameRate ?? 0, 10, accuracy: 1e-9)
        XCTAssertEqual(info.channels, 3)
    }

    func testLosslessLoadIsExact() throws {
        let (path, video) = try patternFile()
        let loaded = try VideoInput.load(path)
        XCTAssertEqual(loaded.samples, video.samples)
        XCTAssertEqual([loaded.channels, loaded.frames, loaded.height, loaded.width], [3, 20, 12, 16])
        XCTAssertEqual(loaded.frameRate ?? 0, 10, accuracy: 1e-9)
    }

    func testStartFramesAndCropAreHonoured() throws {
        let (path, video) = try patternFile()
        let crop = CropRect(x: 3, y: 2, width: 8, height: 6)
        let loaded = try VideoInput.load(path, request: VideoRequest(startFrame: 5, frames: 7, crop: crop))
        XCTAssertEqual([loaded.channels, loaded.frames, loaded.height, loaded.width], [3, 7, 6, 8])
        for c in 0..<3 {
            for t in 0..<7 {
                for y in 0..<6 {
                    for x in 0..<8 where loaded[c, t, y, x] != video[c, t + 5, y + 2, x + 3] {
                        return XCTFail("(\(c), \(t), \(y), \(x)): got \(loaded[c, t, y, x]), want \(video[c, t + 5, y + 2, x + 3])")
                    }
                }
            }
        }
    }

    func testFrameRateResamplingKeepsEveryOtherFrame() throws {
        let (path, _) = try patternFile()
        let loaded = try VideoInput.load(path, request: VideoRequest(startFrame: 1, frames: 4, framesPerSecond: 5))
        XCTAssertEqual(loaded.frames, 4)
        XCTAssertEqual(loaded.frameRate ?? 0, 5, accuracy: 1e-9)
        // At 5 fps the frames are source frames 0, 2, 4, …; start 1 skips the first.
        let sources = (0..<4).map { FFmpegFixtures.frameIndex(ofFirstSample: loaded[0, $0, 0, 0]) }
        XCTAssertEqual(sources, [2, 4, 6, 8])
    }

    func testResizeAndGreyByFFmpeg() throws {
        let (path, _) = try patternFile()
        let loaded = try VideoInput.load(path, request: VideoRequest(frames: 3, size: FrameSize(width: 8, height: 6), channels: 1))
        XCTAssertEqual([loaded.channels, loaded.frames, loaded.height, loaded.width], [1, 3, 6, 8])
    }

    func testGreySourceStaysGrey() throws {
        let grey = FFmpegFixtures.pattern(channels: 1, frames: 4, height: 8, width: 8)
        let path = folder.appendingPathComponent("grey.mkv").path
        try FFmpegFixtures.writeLossless(grey, to: path)
        let loaded = try VideoInput.load(path)
        XCTAssertEqual(loaded.channels, 1)
        XCTAssertEqual(loaded.samples, grey.samples)
        // Asking for colour repeats the grey plane.
        let colour = try VideoInput.load(path, request: VideoRequest(channels: 3))
        XCTAssertEqual(colour.channels, 3)
        XCTAssertEqual(Array(colour.samples[0..<256]), Array(colour.samples[512..<768]))
    }

    func testTooFewFramesGivesBothNumbers() throws {
        let (path, _) = try patternFile()
        assertMediaError(try VideoInput.load(path, request: VideoRequest(startFrame: 10, frames: 15)),
                         contains: [path, "25", "20"])
        assertMediaError(try VideoInput.load(path, request: VideoRequest(startFrame: 18, frames: 5, framesPerSecond: 10)),
                         contains: [path, "5 frames", "only 2"])
    }

    func testCropOutsideTheFrameIsAnError() throws {
        let (path, _) = try patternFile()
        assertMediaError(try VideoInput.load(path, request: VideoRequest(crop: CropRect(x: 10, y: 0, width: 8, height: 4))),
                         contains: [path, "16x12"])
    }

    func testTextFileNamedMP4IsAnErrorNamingIt() throws {
        _ = try FFmpegFixtures.ffmpeg()
        let path = folder.appendingPathComponent("notes.mp4").path
        try "not a video\n".write(toFile: path, atomically: true, encoding: .utf8)
        assertMediaError(try VideoInput.load(path), contains: [path, "Invalid data"])
    }

    func testMissingPathAndMissingFFmpeg() throws {
        let missing = folder.appendingPathComponent("nothing.mp4").path
        assertMediaError(try VideoInput.load(missing), contains: [missing, "no such file"])
        let (path, _) = try patternFile()
        var request = VideoRequest()
        request.ffmpegPath = "/nonexistent/bin/ffmpeg"
        assertMediaError(try VideoInput.load(path, request: request), contains: ["/nonexistent/bin/ffmpeg", path])
        // An executable file that cannot run.
        let fake = folder.appendingPathComponent("ffmpeg").path
        try AtomicFile.write([0, 1, 2, 3], to: fake)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        request.ffmpegPath = fake
        assertMediaError(try VideoInput.load(path, request: request), contains: [fake, "cannot run"])
    }

    func testZeroFrameVideoIsAnError() throws {
        let ffmpeg = try FFmpegFixtures.ffmpeg()
        // An audio-only file has no video stream; a video stream trimmed to nothing has no frames.
        let path = folder.appendingPathComponent("silence.mkv").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=d=0.2", path]
        try process.run()
        process.waitUntilExit()
        assertMediaError(try VideoInput.load(path), contains: [path, "no video stream"])
        // An MP4 written with no frames keeps no video stream either.
        let empty = folder.appendingPathComponent("empty.mp4").path
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: ffmpeg)
        writer.arguments = ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=32x24:rate=10", "-frames:v", "0", empty]
        try writer.run()
        writer.waitUntilExit()
        assertMediaError(try VideoInput.load(empty), contains: [empty, "no video stream"])
        // Starting past the last frame leaves nothing to decode.
        let (pattern, _) = try patternFile()
        assertMediaError(try VideoInput.load(pattern, request: VideoRequest(startFrame: 25)), contains: [pattern, "no frames from frame 25"])
    }

    func testFirePotThirtyTwoFramesAt64() throws {
        guard let path = SharedData.path("textures/fire_pot/fire_pot.avi") else { throw XCTSkip("shared data absent") }
        _ = try FFmpegFixtures.ffmpeg()
        let video = try VideoInput.load(path, request: VideoRequest(frames: 32, size: FrameSize(width: 64, height: 64)))
        XCTAssertEqual([video.channels, video.frames, video.height, video.width], [3, 32, 64, 64])
        XCTAssertEqual(video.frameRate ?? 0, 25, accuracy: 1e-9)
        let mean = video.samples.reduce(0, +) / Float(video.samples.count)
        XCTAssert(mean > 10 && mean < 245, "fire_pot frames look blank (mean \(mean))")
    }
}

/// The `ffmpeg -i` stream-summary parser used when ffprobe is missing agrees with ffprobe.
final class InputProbeFallbackTests: XCTestCase {
    func testFFmpegSummaryParserAgreesWithFFprobe() throws {
        let ffmpeg = try FFmpegFixtures.ffmpeg()
        guard let ffprobe = FFmpeg.searchPath(for: "ffprobe") else { throw XCTSkip("ffprobe absent") }
        var paths: [String] = []
        let folder = makeTemporaryDirectory("mediaio-probe")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pattern = folder.appendingPathComponent("p.mkv").path
        try FFmpegFixtures.writeLossless(FFmpegFixtures.pattern(frames: 20, height: 12, width: 16), to: pattern)
        paths.append(pattern)
        for shared in ["textures/fire_pot/fire_pot.avi", "textures/flame/flame.mp4", "recovery/fountain/fountain.avi"] {
            if let path = SharedData.path(shared) { paths.append(path) }
        }
        for path in paths {
            let a = try VideoProbe.probeWithFFprobe(path, ffprobe: ffprobe)
            let b = try VideoProbe.probeWithFFmpeg(path, ffmpeg: ffmpeg)
            XCTAssertEqual(a.size, b.size, path)
            XCTAssertEqual(a.channels, b.channels, path)
            XCTAssertEqual(a.frameRate ?? 0, b.frameRate ?? 0, accuracy: 0.01, path)
            // The summary gives a rounded duration: the estimate is within a frame or two.
            XCTAssertEqual(Double(a.frameCount), Double(b.frameCount), accuracy: 2, path)
        }
    }

    func testLoadingWithoutFFprobeOnPath() throws {
        let ffmpeg = try FFmpegFixtures.ffmpeg()
        let folder = makeTemporaryDirectory("mediaio-noprobe")
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = FFmpegFixtures.pattern(frames: 12, height: 6, width: 8)
        let path = folder.appendingPathComponent("p.mkv").path
        try FFmpegFixtures.writeLossless(video, to: path)
        // PATH holds only a link to ffmpeg: no ffprobe anywhere.
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("ffmpeg").path, withDestinationPath: ffmpeg)
        let savedPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        setenv("PATH", bin.path, 1)
        defer { setenv("PATH", savedPath, 1) }
        XCTAssertNil(FFmpeg.searchPath(for: "ffprobe"))
        let info = try VideoInput.probe(path)
        XCTAssertEqual(info.size, FrameSize(width: 8, height: 6))
        let loaded = try VideoInput.load(path, request: VideoRequest(startFrame: 2, frames: 5))
        XCTAssertEqual(loaded.samples, video.frames(2..<7).samples)
    }
}
