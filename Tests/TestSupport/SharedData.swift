import Foundation

/// Locates `../shared/data` (the real videos and masks beside the repository), when present.
///
/// A user's clone has no `../shared`: tests that need it call `SharedData.path(_:)` and skip when
/// it returns nil.
public enum SharedData {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The absolute path of `relative` under `../shared/data`, or nil when it does not exist.
    public static func path(_ relative: String) -> String? {
        let url = repositoryRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/data").appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url.path : nil
    }
}

/// A fresh temporary folder, removed by the caller when done.
public func makeTemporaryDirectory(_ prefix: String = "stgconvnet-test") -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
