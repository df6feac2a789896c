import Foundation

/// Writing to the terminal: results to standard output, progress and warnings to standard error.
enum Console {
    /// True when standard error is a terminal (progress bars redraw in place there).
    static let isTerminal: Bool = isatty(STDERR_FILENO) != 0

    static func line(_ text: String) {
        print(text)
        fflush(nil)
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A duration as "42 s", "3 min 20 s" or "1 h 05 min".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
        return "\(s / 3600) h \(String(format: "%02d", (s % 3600) / 60)) min"
    }
}
