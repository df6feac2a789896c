import Foundation
import STGMedia

/// Small limits so a hostile element cannot make one input allocate gigabytes (libFuzzer's
/// default RSS limit is 2 GB); real reading uses `DecodeLimits.standard`.
let limits = DecodeLimits(maxPixels: 1 << 22, maxOutputBytes: 1 << 26)

/// libFuzzer entry point: read one input as a MAT-file and touch every variable; a thrown
/// MediaError is a correct outcome, a crash, hang or excess allocation is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMAT(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !bytes.starts(with: Array("MATLAB".utf8)) {
        // Other inputs are the inflated contents of one compressed element: the harness adds
        // the header and a valid zlib wrapper, so mutations reach the array parser instead of
        // breaking the deflate stream.
        bytes = wrappedInCompressedElement(bytes)
    }
    guard let file = try? MATFile.read(bytes, path: "fuzz.mat", limits: limits) else { return 0 }
    for (_, array) in file.variables {
        let values = array.values
        precondition(values.count == array.count, "values and dimensions differ")
        if array.count > 0 { _ = array[array.dimensions.map { $0 - 1 }] }
        if array.count <= 1 << 20 { _ = try? array.videoMask(path: "fuzz.mat") }
    }
    return 0
}

/// A little-endian MAT-file: 128-byte header, then one miCOMPRESSED element holding `inner`
/// as a zlib stream of stored (uncompressed) deflate blocks.
func wrappedInCompressedElement(_ inner: [UInt8]) -> [UInt8] {
    let text = Array("MATLAB 5.0 MAT-file, Platform: fuzz".utf8)
    var file = text + [UInt8](repeating: 0x20, count: 116 - text.count) + [UInt8](repeating: 0, count: 8)
    file += [0x00, 0x01, 0x49, 0x4D]
    var z: [UInt8] = [0x78, 0x01]
    var start = 0
    repeat {
        let n = min(65535, inner.count - start)
        z += [start + n == inner.count ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
        z += inner[start..<start + n]
        start += n
    } while start < inner.count
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in inner { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
    z += [UInt8(b >> 8), UInt8(b & 0xFF), UInt8(a >> 8), UInt8(a & 0xFF)]
    let count = UInt32(z.count)
    file += [15, 0, 0, 0, UInt8(count & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 24)]
    return file + z
}

/// Runs libFuzzer's driver on `fuzzMAT` (command-line flags as for any libFuzzer binary).
@main
enum FuzzMATMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzMAT(data!, size) })
    }
}

/// libFuzzer's entry for programs that keep their own `main` (C ABI: int*, char***, callback).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
