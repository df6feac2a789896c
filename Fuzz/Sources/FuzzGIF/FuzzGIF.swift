import Foundation
import STGMedia

/// Small limits so a hostile header cannot make one input allocate gigabytes (libFuzzer's
/// default RSS limit is 2 GB); real decoding uses `DecodeLimits.standard`.
let limits = DecodeLimits(maxPixels: 1 << 20, maxOutputBytes: 1 << 26)

/// libFuzzer entry point: decode one input as GIF; a thrown MediaError is a correct outcome,
/// a crash, hang or excess allocation is a bug. What decodes is re-encoded: with at most 256
/// colours the round trip must be exact.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGIF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let (frames, delays) = try? GIF.decode(bytes, path: "fuzz.gif", limits: limits) else { return 0 }
    precondition(frames.count == delays.count && !frames.isEmpty, "frames and delays differ")
    guard frames[0].width * frames[0].height * frames.count <= 1 << 16 else { return 0 }  // keep runs fast
    var colours = Set<UInt32>()
    for frame in frames {
        for i in stride(from: 0, to: frame.pixels.count, by: 3) {
            colours.insert(UInt32(frame.pixels[i]) << 16 | UInt32(frame.pixels[i + 1]) << 8 | UInt32(frame.pixels[i + 2]))
        }
    }
    let again = try? GIF.decode(GIF.encode(frames, delay: 0.1), path: "fuzz-reencoded.gif", limits: limits)
    precondition(again != nil, "re-encoded GIF does not decode")
    if colours.count <= 256 { precondition(again!.frames == frames, "GIF round trip with ≤ 256 colours differs") }
    return 0
}

/// Runs libFuzzer's driver on `fuzzGIF` (command-line flags as for any libFuzzer binary).
@main
enum FuzzGIFMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzGIF(data!, size) })
    }
}

/// libFuzzer's entry for programs that keep their own `main` (C ABI: int*, char***, callback).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
