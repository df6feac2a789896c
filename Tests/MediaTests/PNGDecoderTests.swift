import Foundation
import STGMedia
import TestSupport
import XCTest

/// PNG decoding: known bytes, every colour type and bit depth (generated fixtures cross-checked
/// against ffmpeg), malformed files, and a real frame from the shared data.
final class PNGDecoderTests: XCTestCase {
    /// A 1×1 RGB PNG written by hand: stored (uncompressed) deflate block, CRCs computed by hand
    /// (IHDR 90 77 53 DE and IEND AE 42 60 82 are the well-known values).
    static let onePixelRGB: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
        0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE,
        0x00, 0x00, 0x00, 0x0F, 0x49, 0x44, 0x41, 0x54, 0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF,
        0x00, 0xFF, 0x00, 0x80, 0x03, 0x81, 0x01, 0x80, 0x30, 0x76, 0xCD, 0xB0,
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    func testHandWrittenOnePixel() throws {
        let image = try PNG.decode(Self.onePixelRGB, path: "one.png")
        XCTAssertEqual(image, Image(width: 1, height: 1, channels: 3, pixels: [255, 0, 128]))
    }

    /// The fixtures' pixel formula (see Fuzz/Scripts/make_png_fixtures.py).
    static func rawSample(_ x: Int, _ y: Int, _ s: Int, depth: Int) -> Int {
        (7 * x + 13 * y + 29 * s + x * y + 3) % (1 << depth)
    }

    /// What the library should return for one fixture under its channel rules.
    static func expectedPixels(_ f: PNGFixture) -> (channels: Int, pixels: [UInt8]) {
        let samples = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][f.colorType]!
        var out: [UInt8] = []
        var channels = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4][f.colorType]!
        if f.transparency { channels += 1 }
        for y in 0..<11 {
            for x in 0..<13 {
                let values = (0..<samples).map { rawSample(x, y, $0, depth: f.depth) }
                if f.colorType == 3 {
                    let i = values[0]
                    out += [UInt8(37 * i % 256), UInt8(91 * i % 256), UInt8(255 - i)]
                    if f.transparency { out.append(i < (1 << f.depth) / 2 ? UInt8(17 * i % 256) : 255) }
                    continue
                }
                for v in values {
                    out.append(UInt8(f.depth == 16 ? v >> 8 : v * (255 / ((1 << f.depth) - 1))))
                }
                if f.transparency {
                    let key = (0..<samples).map { rawSample(2, 1, $0, depth: f.depth) }
                    out.append(values == key ? 0 : 255)
                }
            }
        }
        return (channels, out)
    }

    func testEveryColourTypeDepthAndInterlace() throws {
        XCTAssertEqual(pngFixtures.count, 44)
        for fixture in pngFixtures {
            let bytes = [UInt8](Data(base64Encoded: fixture.base64)!)
            let image = try PNG.decode(bytes, path: fixture.name)
            let want = Self.expectedPixels(fixture)
            XCTAssertEqual(image.width, 13, fixture.name)
            XCTAssertEqual(image.height, 11, fixture.name)
            XCTAssertEqual(image.channels, want.channels, fixture.name)
            if image.pixels != want.pixels {
                let bad = zip(image.pixels, want.pixels).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(5)
                XCTFail("\(fixture.name): \(bad.count)+ mismatches, first: \(bad.map { "[\($0.offset)] got \($0.element.0) want \($0.element.1)" })")
            }
        }
    }

    func testInterlacedAndPlainDecodeAlike() throws {
        for plain in pngFixtures where !plain.interlaced {
            guard let adam7 = pngFixtures.first(where: {
                $0.interlaced && $0.colorType == plain.colorType && $0.depth == plain.depth
                    && $0.transparency == plain.transparency
            }) else { continue }
            XCTAssertEqual(
                try PNG.decode([UInt8](Data(base64Encoded: plain.base64)!), path: plain.name),
                try PNG.decode([UInt8](Data(base64Encoded: adam7.base64)!), path: adam7.name), plain.name)
        }
    }

    func assertError(_ bytes: [UInt8], contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PNG.decode(bytes, path: "bad.png"), file: file, line: line) { error in
            guard let error = error as? MediaError else { return XCTFail("not a MediaError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.path, "bad.png", file: file, line: line)
            XCTAssertTrue(error.problem.contains(text), "\(error.problem) lacks '\(text)'", file: file, line: line)
        }
    }

    func testMalformedFilesThrowNamedErrors() {
        let good = Self.onePixelRGB
        assertError(Array("GIF89a....".utf8), contains: "not a PNG file")
        assertError([], contains: "not a PNG file")
        assertError(Array(good[0..<40]), contains: "truncated")
        assertError(Array(good[0..<(good.count - 12)]), contains: "truncated")  // no IEND

        var badCRC = good
        badCRC[29] ^= 1
        assertError(badCRC, contains: "bad CRC")

        // The pixel byte changes: the IDAT CRC catches it before zlib's Adler-32 does.
        var badData = good
        badData[50] ^= 0x40
        assertError(badData, contains: "bad CRC")
    }

    /// Rebuilds the 1×1 PNG with other raw scanline bytes (IDAT recompressed, CRCs recomputed).
    static func onePixel(raw: [UInt8], colorType: UInt8 = 2, depth: UInt8 = 8) -> [UInt8] {
        let image = Image(width: 1, height: 1, channels: 3, pixels: [0, 0, 0])
        var bytes = PNG.encode(image)  // a valid frame to patch: IHDR at 8, IDAT at 33
        bytes[24] = depth
        bytes[25] = colorType
        let ihdrCRC = crc32(bytes[12..<29])
        bytes.replaceSubrange(29..<33, with: bigEndian(ihdrCRC))
        let compressed = zlibStored(raw)
        var file = Array(bytes[0..<33])
        file += bigEndian(UInt32(compressed.count)) + Array("IDAT".utf8) + compressed
        file += bigEndian(crc32(ArraySlice(Array("IDAT".utf8) + compressed)))
        file += [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        return file
    }

    func testInvalidFilterTruncatedDataAndBadHeader() {
        XCTAssertNoThrow(try PNG.decode(Self.onePixel(raw: [4, 1, 2, 3]), path: "ok.png"))
        assertError(Self.onePixel(raw: [5, 1, 2, 3]), contains: "invalid filter type 5")
        assertError(Self.onePixel(raw: [0, 1, 2]), contains: "truncated")
        assertError(Self.onePixel(raw: [0, 1, 2, 3, 4]), contains: "more than")
        assertError(Self.onePixel(raw: [0, 1, 2, 3], colorType: 2, depth: 4), contains: "bit depth 4")
        assertError(Self.onePixel(raw: [0, 1, 2, 3], colorType: 5), contains: "colour type 5")
        assertError(Self.onePixel(raw: [0, 1], colorType: 3), contains: "no palette")
    }

    /// The 1×1 file with another declared size (IHDR CRC recomputed).
    static func declaring(width: UInt32, height: UInt32) -> [UInt8] {
        var bytes = onePixelRGB
        bytes.replaceSubrange(16..<24, with: bigEndian(width) + bigEndian(height))
        bytes.replaceSubrange(29..<33, with: bigEndian(crc32(bytes[12..<29])))
        return bytes
    }

    func testHugeDeclaredSizesFailWithoutAllocating() {
        // 16000 × 16000 RGB is within the default limit (768 MB of pixels) but the data holds 4
        // bytes: inflation stops there, so this fails fast instead of allocating.
        assertError(Self.declaring(width: 16000, height: 16000), contains: "truncated")
        assertError(Self.declaring(width: 100_000, height: 100_000), contains: "exceeds the limit")
        assertError(Self.declaring(width: 0, height: 5), contains: "size 0×5 is invalid")
        assertError(Self.declaring(width: 0x8000_0000, height: 1), contains: "invalid")
    }

    func testSizeLimit() {
        var limits = DecodeLimits()
        limits.maxPixels = 0
        XCTAssertThrowsError(try PNG.decode(Self.onePixelRGB, path: "x.png", limits: limits)) { error in
            XCTAssertTrue("\(error)".contains("exceeds the limit"), "\(error)")
        }
    }

    func testRealFrameFromSharedData() throws {
        guard let path = SharedData.path("textures/fire_pot/frames/000.png") else {
            throw XCTSkip("shared data not present")
        }
        let image = try PNG.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), path: path)
        XCTAssertEqual([image.width, image.height, image.channels], [100, 100, 3])
        // Values from `ffmpeg -i 000.png -f rawvideo -pix_fmt rgb24 -`.
        XCTAssertEqual(Array(image.pixels[0..<6]), [26, 30, 26, 27, 31, 27])
        XCTAssertEqual(Array(image.pixels[29997...]), [34, 28, 28])
        XCTAssertEqual(image.pixels.reduce(0) { $0 + Int($1) }, 2_368_534)
    }
}

// MARK: - Byte helpers for building test files

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

/// CRC-32 (IEEE, as PNG and zlib use it), bit by bit.
func crc32<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// A zlib stream holding `data` in one stored (uncompressed) deflate block.
func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in data {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    let n = UInt16(data.count)
    return [0x78, 0x01, 0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + data + bigEndian(b << 16 | a)
}
