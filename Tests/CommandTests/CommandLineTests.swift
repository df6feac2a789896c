import Foundation
import STGMedia
import TestSupport
import XCTest

/// The command line end to end: help, validation, bad input, and a tiny real run of every command.
final class CommandLineTests: XCTestCase {
    func testHelpListsEveryCommand() throws {
        let result = try CommandRunner.run(["--help"])
        XCTAssertEqual(result.status, 0)
        for command in ["train", "sample", "recover", "inpaint", "demo", "bench"] {
            XCTAssertTrue(result.output.contains(command), "help does not mention \(command):\n\(result.output)")
        }
        let train = try CommandRunner.run(["train", "--help"])
        for option in ["--preset", "--spec", "--size", "--frames", "--iterations", "--chains", "--langevin-steps",
                       "--step-size", "--sigma", "--lr", "--seed", "--out", "--resume", "--checkpoint-every"] {
            XCTAssertTrue(train.output.contains(option), "train --help lacks \(option)")
        }
    }

    func testBadInputIsAClearErrorWithNonZeroExit() throws {
        let missing = try CommandRunner.run(["train", "/no/such/video", "--out", NSTemporaryDirectory() + "x"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("/no/such/video"), missing.error)

        let noInput = try CommandRunner.run(["train", "--out", "x"])
        XCTAssertNotEqual(noInput.status, 0)
        XCTAssertTrue(noInput.error.contains("INPUT"), noInput.error)

        let badSize = try CommandRunner.run(["train", "a", "--size", "64by64", "--out", "x"])
        XCTAssertNotEqual(badSize.status, 0)
        XCTAssertTrue(badSize.error.contains("--size"), badSize.error)

        let folder = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notPNG = folder.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: notPNG, withIntermediateDirectories: true)
        try Data("not an image".utf8).write(to: notPNG.appendingPathComponent("000.png"))
        let corrupt = try CommandRunner.run(["train", notPNG.path, "--out", folder.appendingPathComponent("o").path])
        XCTAssertNotEqual(corrupt.status, 0)
        XCTAssertTrue(corrupt.error.contains("000.png"), corrupt.error)
    }

    /// train → resume → sample → recover on a tiny generated clip and network.
    func testTinyRunOfEveryLearningCommand() throws {
        let folder = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = folder.appendingPathComponent("frames").path
        try writeGeneratedFrames(to: frames, size: 12) { c, t, y, x in
            128 + 90 * sinf(0.8 * Float(x + y) - 0.8 * Float(t) + Float(c))
        }
        let spec = folder.appendingPathComponent("tiny.json").path
        try Data("""
            {"name": "tiny", "layers": [
              {"filters": 4, "kernel": 3, "stride": [1, 2, 2], "padding": "same"},
              {"filters": 2, "kernel": [2, 3, 3], "stride": 1, "padding": "same"}]}
            """.utf8).write(to: URL(fileURLWithPath: spec))
        let out = folder.appendingPathComponent("run").path
        let train = try CommandRunner.run([
            "train", frames, "--spec", spec, "--iterations", "3", "--chains", "2", "--langevin-steps", "2",
            "--checkpoint-every", "2", "--out", out,
        ])
        XCTAssertEqual(train.status, 0, train.error)
        XCTAssertTrue(train.output.contains("iteration 3/3"), train.output)
        for file in ["checkpoint.stgc", "log.jsonl", "summary.md", "summary.json", "synthesized_1.gif",
                     "synthesized_2/000.png", "observed_vs_synthesized.gif"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        XCTAssertTrue(summary.contains("temporal diff") && summary.contains("Between chains"), summary)

        let resumed = try CommandRunner.run(["train", "--resume", out, "--iterations", "5"])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        let log = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").count, 5, log)

        let samples = folder.appendingPathComponent("samples").path
        let sample = try CommandRunner.run([
            "sample", out, "--chains", "1", "--steps", "3", "--frames", "10", "--size", "16x20", "--out", samples,
        ])
        XCTAssertEqual(sample.status, 0, sample.error)
        let longer = try VideoInput.load(samples + "/sample_1")
        XCTAssertEqual([longer.frames, longer.height, longer.width], [10, 20, 16])

        let recovered = folder.appendingPathComponent("recovered").path
        let recover = try CommandRunner.run([
            "recover", frames, "--mask", "pixels:0.3", "--method", "interp-temporal", "--out", recovered,
        ])
        XCTAssertEqual(recover.status, 0, recover.error)
        let table = try String(contentsOfFile: recovered + "/recovery.md", encoding: .utf8)
        XCTAssertTrue(table.contains("interp-temporal"), table)
        XCTAssertTrue(FileManager.default.fileExists(atPath: recovered + "/panel.gif"))
    }

    /// A mask file stays aligned with a video loaded from a later start frame.
    func testMaskFilesFollowTheVideosStartFrame() throws {
        let folder = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = folder.appendingPathComponent("frames").path
        let video = try writeGeneratedFrames(to: frames, size: 8) { c, t, _, x in Float(20 * t + 5 * x + c) }
        // The object is only in frame 4: a video from frame 3 on sees it in its second frame.
        var maskVideo = Video(channels: 3, frames: 6, height: 8, width: 8)
        for c in 0..<3 { for y in 2..<5 { for x in 2..<5 { maskVideo[c, 4, y, x] = 255 } } }
        let mask = folder.appendingPathComponent("mask").path
        try VideoOutput.writeFrames(maskVideo, to: mask)
        for command in ["inpaint", "recover"] {
            let out = folder.appendingPathComponent(command).path
            let run = try CommandRunner.run([
                command, frames, "--mask", mask, "--start-frame", "3", "--frames", "3", "--method", "interp-temporal",
                "--out", out,
            ])
            XCTAssertEqual(run.status, 0, "\(command): \(run.error)")
            let result = try VideoInput.load(out + (command == "inpaint" ? "/inpainted" : "/recovered"))
            // Temporal interpolation between frames 3 and 5 of the source: exact for this ramp in t.
            XCTAssertEqual(result[0, 1, 3, 3], video[0, 4, 3, 3], accuracy: 0.5, command)
        }
    }

    /// Writes a 3-channel, 6-frame video of size×size with `value(c, t, y, x)` as PNG frames.
    @discardableResult
    private func writeGeneratedFrames(
        to folder: String, size: Int, _ value: (Int, Int, Int, Int) -> Float
    ) throws -> Video {
        var video = Video(channels: 3, frames: 6, height: size, width: size)
        for c in 0..<3 { for t in 0..<6 { for y in 0..<size { for x in 0..<size {
            video[c, t, y, x] = value(c, t, y, x)
        } } } }
        try VideoOutput.writeFrames(video, to: folder)
        return video
    }
}
