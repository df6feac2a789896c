import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style patterns in paths (`data/*.mp4`, `clips/run_?/`, `[ab]*.gif`), expanded here so
/// they work the same whether or not a shell expanded them first (and when quoted).
enum PathPattern {
    /// True when `path` holds `*`, `?` or `[`.
    static func isPattern(_ path: String) -> Bool {
        path.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The existing paths matching `pattern`, one path component at a time with fnmatch(3)
    /// rules; names starting with "." match only a pattern component starting with ".". Sorted by
    /// name with numbers compared by value. Empty when nothing matches.
    static func expand(_ pattern: String) -> [String] {
        let absolute = pattern.hasPrefix("/")
        var results = [absolute ? "/" : ""]
        let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            var next: [String] = []
            for base in results {
                let folder = base.isEmpty ? "." : base
                let prefix = base.isEmpty ? "" : (base.hasSuffix("/") ? base : base + "/")
                if !isPattern(component) {
                    let candidate = prefix + component
                    if FileManager.default.fileExists(atPath: candidate) { next.append(candidate) }
                    continue
                }
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
                let matches = names.filter { name in
                    (component.hasPrefix(".") || !name.hasPrefix(".")) && fnmatch(component, name, 0) == 0
                }
                .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
                for name in matches {
                    let candidate = prefix + name
                    if last || FrameFolder.isFolder(candidate) { next.append(candidate) }
                }
            }
            results = next
            if results.isEmpty { break }
        }
        return results.filter { !$0.isEmpty && $0 != "/" }
    }
}
