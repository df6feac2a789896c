import STGMedia
import XCTest

/// PNG encoding: known header bytes and round trips through the decoder.
final class PNGEncoderTests: XCTestCase {
    func testHeaderBytesOfOnePixelRGB() {
        let bytes = PNG.encode(Image(width: 1, height: 1, channels: 3, pixels: [255, 0, 128]))
        // Signature, then IHDR: length 13, "IHDR", 1×1, depth 8, colour type 2, CRC 90 77 53 DE.
        XCTAssertEqual(Array(bytes[0..<33]), PNGDecoderTests.onePixelRGB[0..<33].map { $0 })
        XCTAssertEqual(Array(bytes.suffix(12)), [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    func testRoundTripAllChannelCounts() throws {
        var state: UInt32 = 12345
        for channels in 1...4 {
            for (width, height) in [(1, 1), (7, 3), (33, 17)] {
                var pixels = [UInt8](repeating: 0, count: width * height * channels)
                for i in pixels.indices {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    // Half smooth gradient, half noise, so different filters win on different rows.
                    pixels[i] = i % 2 == 0 ? UInt8(truncatingIfNeeded: i / channels) : UInt8(state >> 24)
                }
                let image = Image(width: width, height: height, channels: channels, pixels: pixels)
                let decoded = try PNG.decode(PNG.encode(image), path: "roundtrip.png")
                XCTAssertEqual(decoded, image, "\(width)×\(height)×\(channels)")
            }
        }
    }

    func testSmoothImagesCompressWell() throws {
        // A horizontal ramp: Sub turns row 0 into 0,1,1,…; Up turns every later row into zeros.
        // Deflated that is about 150 bytes (the per-row filter bytes break the runs), against
        // 16 KiB raw; a wrong filter choice costs far more.
        let width = 256, height = 64
        let pixels = (0..<width * height).map { UInt8($0 % width) }
        let image = Image(width: width, height: height, channels: 1, pixels: pixels)
        let bytes = PNG.encode(image)
        XCTAssertLessThan(bytes.count, 250)
        XCTAssertEqual(try PNG.decode(bytes, path: "ramp.png"), image)
    }
}
