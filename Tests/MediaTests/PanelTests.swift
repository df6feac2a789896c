import Foundation
import STGMedia
import TestSupport
import XCTest

/// Side-by-side panels and the caption font.
final class PanelTests: XCTestCase {
    func testFontGlyphsAndWidths() {
        XCTAssertEqual(BitmapFont.rows("-"), [0, 0, 0, 0b11111, 0, 0, 0])
        XCTAssertEqual(BitmapFont.rows("I"), [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110])
        XCTAssertEqual(BitmapFont.rows("é"), BitmapFont.rows("?"))
        XCTAssertEqual(BitmapFont.width(of: "abc"), 17)
        XCTAssertEqual(BitmapFont.width(of: "abc", scale: 2), 34)
        // Every printable character except space has ink, and no two glyphs are the same.
        let printable = (33...126).map { Character(UnicodeScalar(UInt8($0))) }
        XCTAssert(printable.allSatisfy { BitmapFont.rows($0).contains { $0 != 0 } })
        XCTAssertEqual(Set(printable.map { BitmapFont.rows($0) }).count, printable.count)
        // Scale 2: the "-" bar is rows 6–7, columns 0–9.
        let dash = BitmapFont.render("-", scale: 2)
        XCTAssertEqual([dash.width, dash.height], [10, 14])
        let column: [Bool] = (0..<14).map { (y: Int) -> Bool in dash.ink[y * 10 + 4] }
        let expected: [Bool] = (0..<14).map { (y: Int) -> Bool in y == 6 || y == 7 }
        XCTAssertEqual(column, expected)
    }

    func testGeometrySeparatorsAndHeldFrames() {
        // A grey 4-frame 10×12 video and a colour 2-frame 10×8 video.
        var grey = Video(channels: 1, frames: 4, height: 10, width: 12)
        for t in 0..<4 { for i in 0..<120 { grey.samples[t * 120 + i] = Float(10 * t + 1) } }
        var colour = Video(channels: 3, frames: 2, height: 10, width: 8)
        for c in 0..<3 { for t in 0..<2 { for i in 0..<80 { colour.samples[(c * 2 + t) * 80 + i] = Float(100 + 10 * c + t) } } }
        colour.frameRate = 12
        let panel = Panel.sideBySide([grey, colour], captions: ["in", "B"])
        XCTAssertEqual([panel.channels, panel.frames, panel.height, panel.width], [3, 4, 11 + 10, 12 + 2 + 8])
        XCTAssertEqual(panel.frameRate, 12)
        for c in 0..<3 {
            for t in 0..<4 {
                for y in 0..<21 {
                    XCTAssertEqual(panel[c, t, y, 12], 255)
                    XCTAssertEqual(panel[c, t, y, 13], 255)
                }
                // Grey repeated into every channel; the short video holds its last frame.
                XCTAssertEqual(panel[c, t, 11, 0], Float(10 * t + 1))
                XCTAssertEqual(panel[c, t, 20, 11], Float(10 * t + 1))
                XCTAssertEqual(panel[c, t, 15, 14], Float(100 + 10 * c + min(t, 1)))
                XCTAssertEqual(panel[c, t, 20, 21], Float(100 + 10 * c + min(t, 1)))
            }
        }
        // Caption row: black with white text; "in" is 11 px wide, centred in 12 px: columns 0–10,
        // rows 2–8. The "i" dot is at row 2, column 2.
        XCTAssertEqual(panel[0, 0, 2, 2], 255)
        XCTAssertEqual(panel[0, 0, 0, 2], 0)
        XCTAssertEqual(panel[0, 0, 10, 2], 0)
        XCTAssertEqual(panel[0, 0, 2, 11], 0)
        var inkInFirstCaption = 0
        for y in 0..<11 { for x in 0..<12 where panel[0, 0, y, x] == 255 { inkInFirstCaption += 1 } }
        let expected = BitmapFont.render("in").ink.filter { $0 }.count
        XCTAssertEqual(inkInFirstCaption, expected)
    }

    func testShorterVideosAreResizedToTheTallest() {
        var small = Video(channels: 3, frames: 1, height: 5, width: 4)
        small.samples = Array(repeating: 80, count: 60)
        let tall = Video(channels: 1, frames: 1, height: 10, width: 3)
        let panel = Panel.sideBySide([tall, small], separator: 1)
        // 5 → 10 rows doubles the width too: 3 + 1 + 8.
        XCTAssertEqual([panel.channels, panel.height, panel.width], [3, 10, 12])
        XCTAssertEqual(panel[1, 0, 9, 11], 80, accuracy: 1e-4)
        XCTAssertEqual(panel[1, 0, 0, 3], 255)
    }

    func testNoCaptionsNoCaptionRowAndLongCaptionsAreCut() {
        let a = Video(channels: 3, frames: 1, height: 8, width: 8)
        let plain = Panel.sideBySide([a, a], separator: 1)
        XCTAssertEqual([plain.height, plain.width], [8, 17])
        // 8 px fit one glyph (5 px) per line, so "long" wraps to 4 lines: a 2 + 36 px row.
        let wrapped = Panel.sideBySide([a], captions: ["long"])
        XCTAssertEqual(wrapped.height, 38 + 8)
        for (line, letter) in "long".enumerated() {
            var ink = 0
            for y in (2 + 9 * line)..<(9 + 9 * line) { for x in 0..<8 where wrapped[0, 0, y, x] == 255 { ink += 1 } }
            XCTAssertEqual(ink, BitmapFont.render(String(letter)).ink.filter { $0 }.count, "line \(line)")
        }
    }

    func testCaptionWrapping() {
        XCTAssertEqual(Panel.wrap("observed vs synthesized", charactersPerLine: 10), ["observed", "vs", "synthesize", "d"])
        XCTAssertEqual(Panel.wrap("a b c", charactersPerLine: 3), ["a b", "c"])
        XCTAssertEqual(Panel.wrap("", charactersPerLine: 3), [])
        XCTAssertEqual(Panel.wrap("abcdefghijklmnop", charactersPerLine: 2).count, Panel.maxCaptionLines)
    }
}
