import Foundation
import STGMedia

/// Small limits so a hostile element cannot make one input allocate gigabytes (libFuzzer's
/// default RSS limit is 2 GB); real reading uses `DecodeLimits.standard`.
let limits = DecodeLimits(maxPixels: 1 << 22, maxOutputBytes: 1 << 26)

/// libFuzzer entry point: read one input as a MAT-file and touch every variable; a thrown
/// MediaError is a correct outcome, a crash, hang or excess allocation is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMAT(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? MATFile.read(bytes, path: "fuzz.mat", limits: limits) else { return 0 }
    for (_, array) in file.variables {
        let values = array.values
        precondition(values.count == array.count, "values and dimensions differ")
        if array.count > 0 { _ = array[array.dimensions.map { $0 - 1 }] }
        if array.count <= 1 << 20 { _ = try? array.videoMask(path: "fuzz.mat") }
    }
    return 0
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
