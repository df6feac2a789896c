import Foundation
import STGMedia
import TestSupport
import XCTest

/// Builds Level-5 MAT-files byte by byte, in either byte order.
struct MATBuilder {
    var bigEndian = false

    func u32(_ v: UInt32) -> [UInt8] {
        let le = [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
        return bigEndian ? le.reversed() : le
    }

    func header(_ text: String = "MATLAB 5.0 MAT-file, Platform: test, Created on: today") -> [UInt8] {
        var bytes = Array(text.utf8) + [UInt8](repeating: 0x20, count: 116 - text.utf8.count)
        bytes += [UInt8](repeating: 0, count: 8)  // subsystem data offset
        bytes += bigEndian ? [0x01, 0x00, 0x4D, 0x49] : [0x00, 0x01, 0x49, 0x4D]
        return bytes
    }

    /// A normal element, data padded to 8 bytes unless `padded` is false.
    func element(_ type: UInt32, _ data: [UInt8], padded: Bool = true) -> [UInt8] {
        let padding = padded ? (8 - data.count % 8) % 8 : 0
        return u32(type) + u32(UInt32(data.count)) + data + [UInt8](repeating: 0, count: padding)
    }

    /// A small element: nbytes in the upper 16 bits of the first word, data in the next four.
    func small(_ type: UInt32, _ data: [UInt8]) -> [UInt8] {
        u32(UInt32(data.count) << 16 | type) + data + [UInt8](repeating: 0, count: 4 - data.count)
    }

    /// An miMATRIX element with class code, dimensions, name and real data (already encoded
    /// in the byte order, of mi type `dataType`).
    func matrix(classCode: UInt32, logical: Bool = false, dimensions: [Int32], name: String,
                dataType: UInt32, data: [UInt8], smallName: Bool = false) -> [UInt8] {
        var body = element(6, u32(classCode | (logical ? 0x200 : 0)) + u32(0))
        body += element(5, dimensions.flatMap { u32(UInt32(bitPattern: $0)) })
        body += smallName ? small(1, Array(name.utf8)) : element(1, Array(name.utf8))
        body += data.count <= 4 && !data.isEmpty ? small(dataType, data) : element(dataType, data)
        return element(14, body)
    }

    func doubles(_ values: [Double]) -> [UInt8] {
        values.flatMap { v -> [UInt8] in
            let bits = v.bitPattern
            let le = (0..<8).map { UInt8(bits >> (8 * UInt64($0)) & 0xFF) }
            return bigEndian ? le.reversed() : le
        }
    }

    func int16s(_ values: [Int16]) -> [UInt8] {
        values.flatMap { v -> [UInt8] in
            let u = UInt16(bitPattern: v)
            return bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)]
        }
    }

    /// A top-level miCOMPRESSED element (no padding after it) holding `inner`.
    func compressed(_ inner: [UInt8]) -> [UInt8] {
        element(15, zlibStored(inner), padded: false)
    }
}

/// MAT-file reading: hand-built files in both byte orders, compressed and not, small and
/// normal tags, class casts; malformed files; the published masks.
final class MATFileTests: XCTestCase {
    func testDoubleMatrixBothByteOrders() throws {
        for bigEndian in [false, true] {
            let b = MATBuilder(bigEndian: bigEndian)
            // 2×3 double, column-major: [[1, 3, 5], [2, 4, 6.5]].
            let file = b.header() + b.matrix(classCode: 6, dimensions: [2, 3], name: "A", dataType: 9,
                                              data: b.doubles([1, 2, 3, 4, 5, 6.5]))
            let mat = try MATFile.read(file, path: "a.mat")
            let a = try mat.array("A")
            XCTAssertEqual(a.dimensions, [2, 3])
            XCTAssertEqual(a.elementClass, .double)
            XCTAssertEqual(a.values, [1, 2, 3, 4, 5, 6.5])
            XCTAssertEqual(a[[1, 2]], 6.5)
            XCTAssertEqual(a[[0, 1]], 3)
            XCTAssertNil(a.uint8Values)
        }
    }

    func testCompressedSmallElementsAndCasts() throws {
        let b = MATBuilder()
        // Like mask128.mat: a logical uint8 mask, then sx and sy as double stored as miUINT8 in
        // the small form, with small-form names; each variable in its own compressed element.
        let mask = b.matrix(classCode: 9, logical: true, dimensions: [2, 2, 2], name: "masks", dataType: 2,
                            data: [0, 1, 0, 0, 1, 1, 1, 1])
        let sx = b.matrix(classCode: 6, dimensions: [1, 1], name: "sx", dataType: 2, data: [128], smallName: true)
        let sy = b.matrix(classCode: 6, dimensions: [1, 1], name: "sy", dataType: 2, data: [128], smallName: true)
        // int16 class stored as miINT16; single class stored as miDOUBLE (cast rounds to Float);
        // uint8 class stored as miINT16 (cast saturates).
        let i = b.matrix(classCode: 10, dimensions: [1, 3], name: "i", dataType: 3, data: b.int16s([-5, 0, 300]))
        let s = b.matrix(classCode: 7, dimensions: [1, 1], name: "s", dataType: 9, data: b.doubles([0.1]))
        let u = b.matrix(classCode: 9, dimensions: [1, 3], name: "u", dataType: 3, data: b.int16s([-5, 7, 300]))
        let file = b.header() + b.compressed(mask) + b.compressed(sx) + b.compressed(sy) + b.compressed(i + s) + u
        let mat = try MATFile.read(file, path: "m.mat")
        XCTAssertEqual(Set(mat.variables.keys), ["masks", "sx", "sy", "i", "s", "u"])
        let masks = try mat.array("masks")
        XCTAssertTrue(masks.isLogical)
        XCTAssertEqual(masks.elementClass, .uint8)
        XCTAssertEqual(masks.uint8Values, [0, 1, 0, 0, 1, 1, 1, 1])
        XCTAssertEqual(try mat.array("sx").values, [128])
        XCTAssertEqual(try mat.array("sy").elementClass, .double)
        XCTAssertEqual(try mat.array("i").values, [-5, 0, 300])
        XCTAssertEqual(try mat.array("s").values, [Double(Float(0.1))])
        XCTAssertEqual(try mat.array("u").uint8Values, [0, 7, 255])

        // (H, W, T) = (2, 2, 2): frame 0 has (y 1, x 0) occluded; frame 1 is all occluded.
        let videoMask = try masks.videoMask(path: "m.mat")
        XCTAssertEqual([videoMask.frames, videoMask.height, videoMask.width], [2, 2, 2])
        XCTAssertEqual(videoMask.occluded, [false, false, true, false, true, true, true, true])
    }

    func testUnsupportedClassesAreSkipped() throws {
        let b = MATBuilder()
        let cell = b.matrix(classCode: 1, dimensions: [1, 1], name: "c", dataType: 14, data: [])
        let file = b.header() + cell + b.matrix(classCode: 6, dimensions: [1, 1], name: "x", dataType: 9, data: b.doubles([2]))
        let mat = try MATFile.read(file, path: "c.mat")
        XCTAssertEqual(mat.skipped, ["c"])
        XCTAssertEqual(try mat.array("x").values, [2])
    }

    func assertError(_ bytes: [UInt8], contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MATFile.read(bytes, path: "bad.mat"), file: file, line: line) { error in
            guard let error = error as? MediaError else { return XCTFail("not a MediaError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.path, "bad.mat", file: file, line: line)
            XCTAssertTrue(error.problem.contains(text), "\(error.problem) lacks '\(text)'", file: file, line: line)
        }
    }

    func testMalformedFilesThrowNamedErrors() throws {
        let b = MATBuilder()
        let good = b.header() + b.matrix(classCode: 6, dimensions: [2, 1], name: "A", dataType: 9, data: b.doubles([1, 2]))
        XCTAssertNoThrow(try MATFile.read(good, path: "good.mat"))
        assertError(PNGDecoderTests.onePixelRGB, contains: "not a MAT-file")
        assertError(Array(good[0..<60]), contains: "truncated")
        assertError(Array(good[0..<(good.count - 8)]), contains: "truncated")
        assertError(b.header("MATLAB 7.3 MAT-file, Platform: GLNXA64") + good[128...], contains: "v7.3")
        var noEndian = good
        noEndian[126] = 0
        assertError(noEndian, contains: "endian")
        let mismatch = b.header() + b.matrix(classCode: 6, dimensions: [3, 1], name: "A", dataType: 9, data: b.doubles([1, 2]))
        assertError(mismatch, contains: "'A' has 16 data bytes")
        let corrupt = b.header() + b.element(15, [0x78, 0x9C, 0xFF, 0xFF, 0xFF], padded: false)
        assertError(corrupt, contains: "corrupt")
        XCTAssertThrowsError(try MATFile.read(good, path: "good.mat").array("B")) { error in
            XCTAssertTrue("\(error)".contains("no variable 'B' (it has: A)"), "\(error)")
        }
    }

    // MARK: - Published masks

    func testRecoveryMaskMissingFrames() throws {
        guard let path = SharedData.path("recovery/fountain/mask/missing_frame_type.mat") else {
            throw XCTSkip("shared data not present")
        }
        let masks = try MATFile.read(contentsOf: path).array("masks")
        XCTAssertEqual(masks.dimensions, [150, 150, 70, 3])
        XCTAssertTrue(masks.isLogical)
        let bytes = try XCTUnwrap(masks.uint8Values)
        let plane = 150 * 150
        let allOne: Set = [0, 5, 6, 10, 13, 14, 15, 16, 18, 20, 22, 23, 24, 25, 26, 28, 30, 31, 32, 33,
                           35, 36, 38, 40, 42, 43, 46, 47, 50, 52, 57, 64, 66, 67, 68]
        for c in 0..<3 {
            for t in 0..<70 {
                let start = (t + 70 * c) * plane
                let ones = bytes[start..<start + plane].reduce(0) { $0 + Int($1) }
                XCTAssertEqual(ones, allOne.contains(t) ? plane : 0, "frame \(t) channel \(c)")
            }
        }
        let mask = try masks.videoMask(path: path)
        XCTAssertEqual(mask.occludedCount, 35 * plane)
        XCTAssertTrue(mask[0, 75, 12])
        XCTAssertFalse(mask[1, 75, 12])
    }

    func testRecoveryMaskRegion() throws {
        guard let path = SharedData.path("recovery/fountain/mask/region_type.mat") else {
            throw XCTSkip("shared data not present")
        }
        let mask = try MATFile.read(contentsOf: path).array("masks").videoMask(path: path)
        // One 60×60 square per frame.
        for t in 0..<70 {
            let count = (0..<150 * 150).reduce(0) { $0 + (mask.occluded[t * 22500 + $1] ? 1 : 0) }
            XCTAssertEqual(count, 3600, "frame \(t)")
        }
    }

    func testInpaintingMaskAndScalars() throws {
        guard let path = SharedData.path("inpainting/boats/mask/mask128.mat") else {
            throw XCTSkip("shared data not present")
        }
        let mat = try MATFile.read(contentsOf: path)
        XCTAssertEqual(try mat.array("sx").values, [128])
        XCTAssertEqual(try mat.array("sy").values, [128])
        XCTAssertEqual(try mat.array("sx").dimensions, [1, 1])
        let masks = try mat.array("masks")
        XCTAssertEqual(masks.dimensions, [128, 128, 150, 3])
        let mask = try masks.videoMask(path: path)
        let perFrame = (0..<150).map { t in (0..<128 * 128).reduce(0) { $0 + (mask.occluded[t * 16384 + $1] ? 1 : 0) } }
        XCTAssertEqual(perFrame[0..<31].reduce(0, +), 0, "frames 0–30 are all 0")
        XCTAssertGreaterThan(perFrame[31...].reduce(0, +), 0)
    }
}
