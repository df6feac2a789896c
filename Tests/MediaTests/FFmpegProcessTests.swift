import Foundation
import STGMedia
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The child-process layer under the ffmpeg calls: pipes never block, failures quote the last
/// error line, abandoned children are killed and reaped.
final class FFmpegProcessTests: XCTestCase {
    func testLargeStandardErrorDoesNotBlockStandardOutput() throws {
        // 2 MB on standard error (30× a pipe buffer) before anything on standard output.
        let child = try ChildProcess(executable: "/bin/sh",
                                     arguments: ["-c", "yes e | head -c 2000000 >&2; echo last words >&2; echo done"],
                                     subject: "shell")
        XCTAssertEqual(String(decoding: child.readAll(), as: UTF8.self), "done\n")
        try child.finish()
        XCTAssertEqual(child.lastErrorLine, "last words")
    }

    func testFailureQuotesTheLastErrorLineAndFinishIsRepeatable() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo first >&2; echo 'the reason' >&2; exit 3"],
                                     subject: "input.avi")
        _ = child.readAll()
        assertMediaError(try child.finish(), contains: ["input.avi", "sh failed (exit status 3)", "\"the reason\""])
        assertMediaError(try child.finish(), contains: ["exit status 3"])
    }

    func testInputIsFedWhileOutputIsRead() throws {
        // cat echoes 3 MB: the feeder and the reader must run at the same time.
        let chunks = (0..<3).map { [UInt8](repeating: UInt8($0 + 1), count: 1_000_000) }
        let child = try ChildProcess(executable: "/bin/cat", arguments: [], subject: "cat", withInput: true)
        child.feedInput(chunks)
        let echoed = child.readAll()
        try child.finish()
        XCTAssertEqual(echoed.count, 3_000_000)
        XCTAssertEqual([echoed[0], echoed[1_500_000], echoed[2_999_999]], [1, 2, 3])
    }

    func testWritingToAChildThatExitedIsAnErrorNotASignal() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo gone >&2; exit 1"], subject: "out.mp4",
                                     withInput: true)
        // Keep writing until the closed pipe is noticed (the first writes may fit its buffer).
        var failed = false
        for _ in 0..<64 where !failed {
            do { try child.write([UInt8](repeating: 0, count: 65536)) } catch { failed = true }
        }
        XCTAssertTrue(failed, "writing into a dead child's pipe must throw")
        assertMediaError(try child.finish(), contains: ["out.mp4", "exit status 1", "gone"])
    }

    func testAbandonedChildIsKilledAndReaped() throws {
        let ffmpeg = try FFmpegFixtures.ffmpeg()
        var pid: Int32 = 0
        do {
            // An endless stream: ffmpeg blocks on the full pipe once we stop reading.
            let child = try ChildProcess(executable: ffmpeg,
                                         arguments: ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64", "-f", "rawvideo", "-"],
                                         subject: "endless")
            pid = child.processIdentifier
            var frame = [UInt8](repeating: 0, count: 64 * 64 * 3)
            XCTAssertEqual(child.read(into: &frame), frame.count)
        }
        // deinit killed and reaped it: the process id no longer names a process.
        XCTAssertEqual(kill(pid, 0), -1)
        XCTAssertEqual(errno, ESRCH)
    }
}
