import Foundation
import STGMedia
import XCTest

/// Small synthetic videos for the ffmpeg tests, written losslessly so decoded values can be
/// compared exactly.
enum FFmpegFixtures {
    /// ffmpeg on this machine, or a skip with a message.
    static func ffmpeg() throws -> String {
        guard let path = FFmpeg.locate() else { throw XCTSkip("ffmpeg is not installed: skipping the ffmpeg tests") }
        return path
    }

    /// Sample value of the synthetic pattern: each frame differs at (0, 0) for t < 19.
    static func value(c: Int, t: Int, y: Int, x: Int) -> Float {
        Float((t * 13 + y * 3 + x * 5 + c * 40) % 256)
    }

    /// A channels × frames × height × width video of `value`.
    static func pattern(channels: Int = 3, frames: Int, height: Int, width: Int, grey: Bool = false) -> Video {
        var video = Video(channels: channels, frames: frames, height: height, width: width)
        for c in 0..<channels {
            for t in 0..<frames {
                for y in 0..<height {
                    for x in 0..<width { video[c, t, y, x] = value(c: grey ? 0 : c, t: t, y: y, x: x) }
                }
            }
        }
        return video
    }

    /// Writes `video` (RGB) as a lossless FFV1 `.mkv` (or any container `path`'s extension names)
    /// at `fps`, with ffmpeg reading raw rgb24 frames from standard input.
    static func writeLossless(_ video: Video, to path: String, fps: Int = 10) throws {
        let ffmpeg = try ffmpeg()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        let grey = video.channels == 1
        process.arguments = ["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", grey ? "gray" : "rgb24",
                             "-s", "\(video.width)x\(video.height)", "-r", "\(fps)", "-i", "-",
                             "-c:v", "ffv1", "-pix_fmt", grey ? "gray" : "bgr0", path]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        var bytes: [UInt8] = []
        for t in 0..<video.frames { bytes += video.interleavedFrame(t) }
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "ffmpeg could not write the fixture \(path)")
    }

    /// Frame index t whose pattern starts with `first` at (c 0, y 0, x 0), or nil.
    static func frameIndex(ofFirstSample first: Float) -> Int? {
        (0..<19).first { value(c: 0, t: $0, y: 0, x: 0) == first }
    }
}

/// Asserts that `body` throws a `MediaError` whose text contains every one of `fragments`.
func assertMediaError<T>(_ body: @autoclosure () throws -> T, contains fragments: [String],
                         file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected a MediaError containing \(fragments)", file: file, line: line)
    } catch let error as MediaError {
        for fragment in fragments where !error.description.contains(fragment) {
            XCTFail("error \"\(error)\" does not mention \"\(fragment)\"", file: file, line: line)
        }
    } catch {
        XCTFail("expected a MediaError, got \(error)", file: file, line: line)
    }
}
