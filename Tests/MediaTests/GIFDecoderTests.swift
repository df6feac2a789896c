import Foundation
import STGMedia
import XCTest

/// GIF decoding: a known 1×1 file, an ffmpeg-written animation against ffmpeg's decoding, a
/// hand-assembled file exercising local palettes, interlace, transparency, offsets, clipping
/// and disposal 2 and 3, and malformed files.
final class GIFDecoderTests: XCTestCase {
    /// The well-known 43-byte transparent 1×1 GIF: two-colour global table (white, black),
    /// background 0, graphic control with transparent index 0, LZW bytes 44 01 = clear, 0, end.
    static let transparentPixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
        0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
        0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00,
        0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    func testKnownTransparentPixel() throws {
        let (frames, delays) = try GIF.decode(Self.transparentPixel, path: "pixel.gif")
        // The only pixel is transparent, so the canvas (background colour white) shows.
        XCTAssertEqual(frames, [Image(width: 1, height: 1, channels: 3, pixels: [255, 255, 255])])
        XCTAssertEqual(delays, [0])
    }

    func testFFmpegAnimationMatchesFFmpegDecoding() throws {
        let bytes = [UInt8](Data(base64Encoded: GIFFixtures.ffmpegTestSource)!)
        let expected = [UInt8](Data(base64Encoded: GIFFixtures.ffmpegTestSourceRGB)!)
        let (frames, delays) = try GIF.decode(bytes, path: "testsrc.gif")
        XCTAssertEqual(frames.count, 5)
        XCTAssertEqual(delays, [0.2, 0.2, 0.2, 0.2, 0.2])
        for (t, frame) in frames.enumerated() {
            XCTAssertEqual([frame.width, frame.height, frame.channels], [16, 12, 3])
            XCTAssertEqual(frame.pixels, Array(expected[t * 576..<(t + 1) * 576]), "frame \(t)")
        }
    }

    // MARK: - Hand-assembled file

    /// LZW data with no compression at all: clear code before every index, so every code has
    /// minCodeSize + 1 bits and no table entry is ever used (independent of the encoder).
    static func uncompressedLZW(_ indices: [UInt8], minCodeSize: Int) -> [UInt8] {
        let clear = 1 << minCodeSize, bits = minCodeSize + 1
        var codes: [Int] = []
        for index in indices { codes += [clear, Int(index)] }
        codes.append(clear + 1)
        var bytes: [UInt8] = []
        var buffer = 0, count = 0
        for code in codes {
            buffer |= code << count
            count += bits
            while count >= 8 { bytes.append(UInt8(buffer & 0xFF)); buffer >>= 8; count -= 8 }
        }
        if count > 0 { bytes.append(UInt8(buffer)) }
        var blocks: [UInt8] = [UInt8(minCodeSize)]
        var start = 0
        while start < bytes.count {
            let n = min(255, bytes.count - start)
            blocks += [UInt8(n)] + bytes[start..<start + n]
            start += n
        }
        return blocks + [0]
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

    static func control(disposal: Int, delay: Int = 0, transparent: Int? = nil) -> [UInt8] {
        [0x21, 0xF9, 4, UInt8(disposal << 2 | (transparent == nil ? 0 : 1))] + le16(delay)
            + [UInt8(transparent ?? 0), 0]
    }

    static func frame(x: Int, y: Int, width: Int, height: Int, interlaced: Bool = false,
                      localPalette: [UInt8]? = nil, indices: [UInt8]) -> [UInt8] {
        var flags: UInt8 = interlaced ? 0x40 : 0
        if let localPalette { flags |= 0x80 | UInt8(localPalette.count / 3 == 2 ? 0 : 1) }
        return [0x2C] + le16(x) + le16(y) + le16(width) + le16(height) + [flags] + (localPalette ?? [])
            + uncompressedLZW(indices, minCodeSize: 2)
    }

    static let W: [UInt8] = [255, 255, 255], K: [UInt8] = [0, 0, 0], R: [UInt8] = [255, 0, 0]
    static let G: [UInt8] = [0, 255, 0], B: [UInt8] = [0, 0, 255]

    func testPalettesInterlaceTransparencyOffsetsAndDisposal() throws {
        typealias T = GIFDecoderTests
        // 4×4 canvas; global table black, white, red, green; background index 3 (green).
        var file: [UInt8] = Array("GIF89a".utf8) + T.le16(4) + T.le16(4) + [0x81, 3, 0]
        file += T.K + T.W + T.R + T.G
        // Frame 0: all white.
        file += T.frame(x: 0, y: 0, width: 4, height: 4, indices: [UInt8](repeating: 1, count: 16))
        // Frame 1: 2×2 at (1, 1), local table (grey, blue), index 0 transparent, then disposal 2
        // (restore the rectangle to the background colour).
        file += T.control(disposal: 2, transparent: 0)
        file += T.frame(x: 1, y: 1, width: 2, height: 2, localPalette: [9, 9, 9] + T.B, indices: [1, 0, 0, 1])
        // Frame 2: 2×4 at (2, 0), interlaced: stream rows are frame rows 0, 2, 1, 3. Disposal 3
        // (restore what was there), delay 25 cs.
        file += T.control(disposal: 3, delay: 25)
        file += T.frame(x: 2, y: 0, width: 2, height: 4, interlaced: true, indices: [2, 2, 1, 1, 0, 0, 2, 0])
        // Frame 3: 2×2 at (3, 3): only its top-left pixel is on the canvas.
        file += T.frame(x: 3, y: 3, width: 2, height: 2, indices: [2, 2, 2, 2])
        file.append(0x3B)

        let (frames, delays) = try GIF.decode(file, path: "hand.gif")
        XCTAssertEqual(delays, [0, 0, 0.25, 0])
        let (W, K, R, G, B) = (T.W, T.K, T.R, T.G, T.B)
        let expected: [[[UInt8]]] = [
            [W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W],
            [W, W, W, W, W, B, W, W, W, W, B, W, W, W, W, W],
            [W, W, R, R, W, G, K, K, W, G, W, W, W, W, R, K],
            [W, W, W, W, W, G, G, W, W, G, G, W, W, W, W, R],
        ]
        XCTAssertEqual(frames.count, 4)
        for (t, pixels) in expected.enumerated() where t < frames.count {
            XCTAssertEqual(frames[t], Image(width: 4, height: 4, channels: 3, pixels: pixels.flatMap { $0 }), "frame \(t)")
        }
    }

    func assertError(_ bytes: [UInt8], contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try GIF.decode(bytes, path: "bad.gif"), file: file, line: line) { error in
            guard let error = error as? MediaError else { return XCTFail("not a MediaError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.path, "bad.gif", file: file, line: line)
            XCTAssertTrue(error.problem.contains(text), "\(error.problem) lacks '\(text)'", file: file, line: line)
        }
    }

    func testMalformedFilesThrowNamedErrors() {
        let good = Self.transparentPixel
        assertError(PNGDecoderTests.onePixelRGB, contains: "not a GIF file")
        assertError(Array("GIF90a".utf8) + good[6...], contains: "version")
        assertError(Array(good[0..<8]), contains: "truncated")
        assertError(Array(good[0..<30]), contains: "truncated")
        assertError(Array(good[0..<19]) + [0x3B], contains: "no frames")
        var zeroSize = good
        zeroSize[6] = 0
        assertError(zeroSize, contains: "canvas size 0×1")
        var badBlock = good
        badBlock[19] = 0x99
        assertError(badBlock, contains: "unknown block type 0x99")
        // LZW stream: clear, then code 7 with only 6 entries in the table.
        var badCode = good
        badCode[39] = 0x3C  // 0b00111100: code 4 (clear), then 7
        assertError(badCode, contains: "corrupt image data")
        var limits = DecodeLimits()
        limits.maxPixels = 0
        XCTAssertThrowsError(try GIF.decode(good, path: "x.gif", limits: limits))
        // A 60000 × 60000 canvas is over the default limit; a 1-pixel frame does not matter.
        var huge = good
        huge.replaceSubrange(6..<10, with: [0x60, 0xEA, 0x60, 0xEA])
        assertError(huge, contains: "exceeds the limit")
        // Output bytes: two frames of a 1×1 canvas are 6 bytes; a 5-byte budget stops at frame 1.
        let twoFrames = Array(good.dropLast()) + Array(good[19..<42]) + [0x3B]
        XCTAssertEqual(try GIF.decode(twoFrames, path: "two.gif").frames.count, 2)
        XCTAssertThrowsError(try GIF.decode(twoFrames, path: "two.gif", limits: DecodeLimits(maxOutputBytes: 5))) { error in
            XCTAssertTrue("\(error)".contains("limit of 5 output bytes"), "\(error)")
        }
    }
}
