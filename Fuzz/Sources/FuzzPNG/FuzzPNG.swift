import Foundation
import STGMedia

/// Small limits so a hostile header cannot make one input allocate gigabytes (libFuzzer's
/// default RSS limit is 2 GB); real decoding uses `DecodeLimits.standard`.
let limits = DecodeLimits(maxPixels: 1 << 22, maxOutputBytes: 1 << 26)

/// libFuzzer entry point: decode one input as PNG; any thrown MediaError is a correct outcome,
/// a crash, hang or excess allocation is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
        // Mutations nearly always break a CRC, which stops decoding at the first chunk; repair
        // the CRCs of most inputs so the fuzzer reaches the header, palette, inflate and
        // filter code. Inputs whose first byte after the signature is odd keep their CRCs.
        if bytes.count > 8 && bytes[8] & 1 == 0 { repairCRCs(&bytes) }
    } else {
        // Other inputs describe an image: the harness writes a valid container around the
        // fuzzer's scanline bytes, so filters, bit depths and Adam7 get fuzzed directly.
        bytes = synthesizedPNG(bytes)
    }
    if let image = try? PNG.decode(bytes, path: "fuzz.png", limits: limits) {
        // Whatever decodes must re-encode and decode to the same pixels.
        let again = try? PNG.decode(PNG.encode(image), path: "fuzz-reencoded.png", limits: limits)
        precondition(again == image, "PNG re-encode round trip differs")
    }
    return 0
}

/// A PNG built from a description: byte 0 picks colour type and bit depth, bytes 1 and 2 are
/// width and height (1–64), byte 3 sets interlace (bit 0), a tRNS chunk (bit 1) and the
/// palette size (bits 2–7); the rest is the raw (filtered) image data, stored uncompressed.
func synthesizedPNG(_ input: [UInt8]) -> [UInt8] {
    let formats: [(type: UInt8, depth: UInt8)] = [
        (0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2), (3, 4), (3, 8),
        (4, 8), (4, 16), (6, 8), (6, 16),
    ]
    let header = input + [UInt8](repeating: 0, count: max(0, 4 - input.count))
    let format = formats[Int(header[0]) % formats.count]
    let width = UInt32(header[1] % 64) + 1, height = UInt32(header[2] % 64) + 1
    let flags = header[3]
    let raw = Array(input.dropFirst(4))
    var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    func append32(_ v: UInt32) { file += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    func chunk(_ type: String, _ body: [UInt8]) {
        append32(UInt32(body.count))
        file += Array(type.utf8) + body + [0, 0, 0, 0]  // CRC filled by repairCRCs
    }
    var ihdr: [UInt8] = []
    for v in [width, height] { ihdr += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    ihdr += [format.depth, format.type, 0, 0, flags & 1]
    chunk("IHDR", ihdr)
    let paletteSize = Int(flags >> 2) * 4 + 1
    if format.type == 3 { chunk("PLTE", (0..<paletteSize * 3).map { UInt8(truncatingIfNeeded: $0 * 37) }) }
    if flags & 2 != 0 {
        chunk("tRNS", format.type == 3 ? (0..<paletteSize).map { UInt8(truncatingIfNeeded: $0 * 11) }
              : format.type == 2 ? [0, 1, 0, 2, 0, 3] : [0, 1])
    }
    // zlib stream of stored blocks (at most 65535 bytes each) and the Adler-32.
    var z: [UInt8] = [0x78, 0x01]
    var start = 0
    repeat {
        let n = min(65535, raw.count - start)
        let final: UInt8 = start + n == raw.count ? 1 : 0
        z += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
        z += raw[start..<start + n]
        start += n
    } while start < raw.count
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
    z += [UInt8(b >> 8), UInt8(b & 0xFF), UInt8(a >> 8), UInt8(a & 0xFF)]
    chunk("IDAT", z)
    chunk("IEND", [])
    repairCRCs(&file)
    return file
}

/// Rewrites every complete chunk's CRC-32 (over type and data), walking the chunk lengths.
func repairCRCs(_ bytes: inout [UInt8]) {
    var position = 8
    while bytes.count - position >= 12 {
        let length = Int(bytes[position]) << 24 | Int(bytes[position + 1]) << 16
            | Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
        guard length <= bytes.count - position - 12 else { return }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes[(position + 4)..<(position + 8 + length)] {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc = ~crc
        let end = position + 8 + length
        bytes[end] = UInt8(crc >> 24)
        bytes[end + 1] = UInt8(crc >> 16 & 0xFF)
        bytes[end + 2] = UInt8(crc >> 8 & 0xFF)
        bytes[end + 3] = UInt8(crc & 0xFF)
        position = end + 4
    }
}

/// Runs libFuzzer's driver on `fuzzPNG` (command-line flags as for any libFuzzer binary).
@main
enum FuzzPNGMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzPNG(data!, size) })
    }
}

/// libFuzzer's entry for programs that keep their own `main` (C ABI: int*, char***, callback).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
