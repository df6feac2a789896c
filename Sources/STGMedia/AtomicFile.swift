import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing files and folders so that readers see either the old version or the complete new one,
/// never a half-written file: write under a temporary name in the same folder, then rename.
///
/// Temporary names start with "." and contain ".partial-", so an interrupted write leaves only
/// hidden `.name.partial-…` entries, which frame folders ignore.
public enum AtomicFile {
    /// Writes `bytes` to `path` (replacing an existing file) through a temporary file and a rename.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { file in try bytes.withUnsafeBytes { try file.write($0) } }
    }

    /// Writes a file piece by piece through `body` (no copy of the whole content in memory), under
    /// a temporary name and then a rename, like `write(_:to:)`.
    public static func write(to path: String, _ body: (inout StreamingFile) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        guard let handle = fopen(temporary, "wb") else {
            throw MediaError(path, "cannot write the file (\(String(cString: strerror(errno))))")
        }
        var file = StreamingFile(handle: handle, path: path)
        do {
            try body(&file)
            if fflush(handle) != 0 || fsync(fileno(handle)) != 0 {
                throw MediaError(path, "cannot write the file (\(String(cString: strerror(errno))))")
            }
        } catch {
            fclose(handle)
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        fclose(handle)
        try commit(temporary, to: path)
    }

    /// A fresh temporary name beside `path`: `folder/.name.partial-UUID.extension` (the extension
    /// is kept so tools that choose a format by extension still see it).
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let name = url.deletingPathExtension().lastPathComponent
        let ext = url.pathExtension
        return "\(folder)/.\(name).partial-\(UUID().uuidString)" + (ext.isEmpty ? "" : ".\(ext)")
    }

    /// Renames the finished `temporary` file onto `path` (atomically replacing a file there);
    /// removes `temporary` when that fails.
    public static func commit(_ temporary: String, to path: String) throws {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw MediaError(path, "cannot move the finished file into place (\(reason))")
        }
    }

    /// Builds a folder at `path` by letting `body` fill a temporary folder beside it, then moves
    /// it into place. An existing folder at `path` is first renamed aside and removed after the
    /// move, so `path` is briefly absent but never half-written. On any error the temporary
    /// folder is removed and the old folder stays.
    public static func writeFolder(at path: String, _ body: (_ temporaryFolder: String) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        } catch {
            throw MediaError(path, "cannot create a folder beside it (\(error.localizedDescription))")
        }
        do {
            try body(temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        var old: String?
        if FileManager.default.fileExists(atPath: path) {
            let aside = temporaryPath(for: path)
            if rename(path, aside) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: temporary)
                throw MediaError(path, "cannot move the old version aside (\(reason))")
            }
            old = aside
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            if let old { _ = rename(old, path) }
            try? FileManager.default.removeItem(atPath: temporary)
            throw MediaError(path, "cannot move the finished folder into place (\(reason))")
        }
        if let old { try? FileManager.default.removeItem(atPath: old) }
    }
}

/// An open file that `AtomicFile.write(to:_:)` fills.
public struct StreamingFile {
    fileprivate let handle: UnsafeMutablePointer<FILE>
    fileprivate let path: String

    /// Appends raw bytes.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        if fwrite(bytes.baseAddress!, 1, bytes.count, handle) != bytes.count {
            throw MediaError(path, "cannot write the file (\(String(cString: strerror(errno))))")
        }
    }
}
