import STGMedia
import XCTest

/// GIF encoding: header bytes, exact round trips for ≤ 256 colours (RGB and grey), long LZW
/// streams, and bounded error with median cut and dithering beyond 256 colours.
final class GIFEncoderTests: XCTestCase {
    /// Deterministic pseudo-random bytes.
    static func noise(_ count: Int, seed: UInt32) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
    }

    func testHeaderLoopAndDelayBytes() {
        let frame = Image(width: 3, height: 2, channels: 1, pixels: [0, 50, 100, 150, 200, 250])
        let bytes = GIF.encode([frame, frame], delay: 0.04)
        XCTAssertEqual(Array(bytes[0..<6]), Array("GIF89a".utf8))
        XCTAssertEqual(Array(bytes[6..<10]), [3, 0, 2, 0])
        // 6 colours → an 8-entry global table (size field 2).
        XCTAssertEqual(bytes[10], 0x80 | 0x70 | 2)
        let loop: [UInt8] = [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0, 0]
        XCTAssertEqual(Array(bytes[(13 + 24)..<(13 + 24 + loop.count)]), loop)
        // Graphic control: disposal 1, delay 4 centiseconds.
        let control = 13 + 24 + loop.count
        XCTAssertEqual(Array(bytes[control..<control + 8]), [0x21, 0xF9, 4, 4, 4, 0, 0, 0])
        XCTAssertEqual(bytes.last, 0x3B)
    }

    func testExactRoundTripWith200Colours() throws {
        let palette = Self.noise(200 * 3, seed: 7)
        let picks = Self.noise(3 * 23 * 17, seed: 8)
        let frames = (0..<3).map { t in
            Image(width: 23, height: 17, channels: 3, pixels: (0..<(23 * 17)).flatMap { i -> [UInt8] in
                let k = Int(picks[t * 23 * 17 + i]) % 200
                return Array(palette[3 * k..<3 * k + 3])
            })
        }
        for dither in [false, true] {
            let (decoded, delays) = try GIF.decode(GIF.encode(frames, delay: 0.1, dither: dither), path: "rt.gif")
            XCTAssertEqual(decoded, frames, "dither \(dither)")
            XCTAssertEqual(delays, [0.1, 0.1, 0.1])
        }
    }

    func testGreyFramesRoundTripExactly() throws {
        let frames = (0..<2).map { (t: Int) -> Image in
            let pixels = (0..<256).map { (i: Int) -> UInt8 in UInt8((i + 40 * t) % 256) }
            return Image(width: 32, height: 8, channels: 1, pixels: pixels)
        }
        let (decoded, _) = try GIF.decode(GIF.encode(frames, delay: 0.05), path: "grey.gif")
        XCTAssertEqual(decoded.count, 2)
        for t in 0..<2 {
            let rgb: [UInt8] = frames[t].pixels.flatMap { (v: UInt8) -> [UInt8] in [v, v, v] }
            XCTAssertEqual(decoded[t].pixels, rgb)
        }
    }

    func testLongStreamsRefillTheTable() throws {
        // 300×200 noise over 256 colours: tens of table resets at 12-bit codes.
        func colour(_ k: Int) -> [UInt8] { [UInt8(k), UInt8(255 - k), UInt8(k / 2)] }
        let picks = Self.noise(300 * 200, seed: 3)
        let noisy = Image(width: 300, height: 200, channels: 3, pixels: picks.flatMap { colour(Int($0)) })
        // And long runs of one colour: codes for strings of up to ~250 pixels.
        let flat = Image(width: 300, height: 200, channels: 3, pixels: (0..<60000).flatMap { colour($0 / 7000) })
        let (decoded, _) = try GIF.decode(GIF.encode([noisy, flat], delay: 0.1), path: "long.gif")
        XCTAssertEqual(decoded, [noisy, flat])
    }

    /// A 64×64 frame with 4096 colours (every 16-level step of R, G, B).
    static let manyColours: Image = {
        var pixels: [UInt8] = []
        for y in 0..<64 {
            for x in 0..<64 {
                pixels += [UInt8((x % 16) * 17), UInt8((y % 16) * 17), UInt8((x / 16 + 4 * (y / 16)) * 17)]
            }
        }
        return Image(width: 64, height: 64, channels: 3, pixels: pixels)
    }()

    func testMedianCutKeepsErrorsSmall() throws {
        let (decoded, _) = try GIF.decode(GIF.encode([Self.manyColours], delay: 0.1), path: "cut.gif")
        let errors = zip(decoded[0].pixels, Self.manyColours.pixels).map { abs(Int($0) - Int($1)) }
        let mean = Double(errors.reduce(0, +)) / Double(errors.count)
        // 4096 colours into 256 boxes of 2×2×4 levels (steps of 17), each mapped to its mean:
        // per-channel errors 8.5, 8.5 and 17 on average, 11.33 overall, which is optimal for
        // this input. A bad split or a wrong mapping gives much more.
        XCTAssertLessThan(mean, 11.5, "mean abs error \(mean)")
        XCTAssertLessThan(errors.max()!, 60)
    }

    /// A smooth 64×64 ramp with 4096 colours, all well inside 0–255.
    static let ramp: Image = {
        var pixels: [UInt8] = []
        for y in 0..<64 {
            for x in 0..<64 { pixels += [UInt8(3 * x + 20), UInt8(3 * y + 20), UInt8(60 + x + y)] }
        }
        return Image(width: 64, height: 64, channels: 3, pixels: pixels)
    }()

    /// Largest per-channel error of 8×8 block averages, over the blocks away from the border.
    static func interiorBlockError(_ image: Image, _ reference: Image) -> Double {
        var worst = 0.0
        for by in 1..<7 {
            for bx in 1..<7 {
                for c in 0..<3 {
                    var difference = 0
                    for y in by * 8..<by * 8 + 8 {
                        for x in bx * 8..<bx * 8 + 8 {
                            let i = (y * 64 + x) * 3 + c
                            difference += Int(image.pixels[i]) - Int(reference.pixels[i])
                        }
                    }
                    worst = max(worst, abs(Double(difference)) / 64)
                }
            }
        }
        return worst
    }

    /// 128×64: left half uniform noise over the whole colour cube (so the 256 palette entries
    /// spread out, about 40 levels apart), right half a smooth ramp that then bands.
    static let noiseAndRamp: Image = {
        let noise = GIFEncoderTests.noise(64 * 64 * 3, seed: 11)
        var pixels: [UInt8] = []
        for y in 0..<64 {
            for x in 0..<128 {
                if x < 64 {
                    let i = (y * 64 + x) * 3
                    pixels += Array(noise[i..<i + 3])
                } else {
                    pixels += [UInt8(60 + 2 * (x - 64)), UInt8(60 + 2 * y), 128]
                }
            }
        }
        return Image(width: 128, height: 64, channels: 3, pixels: pixels)
    }()

    /// Largest per-channel error of 8×8 window averages at every position inside the ramp half.
    static func windowError(_ image: Image, _ reference: Image) -> Double {
        var worst = 0.0
        for top in 2..<(64 - 10) {
            for left in 66..<(128 - 10) {
                for c in 0..<3 {
                    var difference = 0
                    for y in top..<top + 8 {
                        for x in left..<left + 8 {
                            let i = (y * 128 + x) * 3 + c
                            difference += Int(image.pixels[i]) - Int(reference.pixels[i])
                        }
                    }
                    worst = max(worst, abs(Double(difference)) / 64)
                }
            }
        }
        return worst
    }

    func testDitheringKeepsLocalAveragesClose() throws {
        let (plain, _) = try GIF.decode(GIF.encode([Self.noiseAndRamp], delay: 0.1, dither: false), path: "p.gif")
        let (dithered, _) = try GIF.decode(GIF.encode([Self.noiseAndRamp], delay: 0.1, dither: true), path: "d.gif")
        let plainError = Self.windowError(plain[0], Self.noiseAndRamp)
        let ditheredError = Self.windowError(dithered[0], Self.noiseAndRamp)
        print("8×8 window error on the ramp: plain \(plainError), dithered \(ditheredError)")
        XCTAssertLessThan(ditheredError, plainError / 2)
    }
}
