import Foundation

/// Shows progress of a long loop: a redrawn bar with rate and ETA on a terminal, and nothing
/// extra (callers print plain lines) otherwise.
final class ProgressReporter {
    private let total: Int
    private let label: String
    private let start = ContinuousClock.now
    private let startCount: Int
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(total: Int, label: String, startingAt: Int = 0) {
        self.total = total
        self.label = label
        self.startCount = startingAt
    }

    /// Reports that `done` of `total` units are finished.
    func update(_ done: Int, detail: String = "") {
        guard Console.isTerminal else { return }
        let now = ContinuousClock.now
        if done < total && now - lastDraw < .milliseconds(200) { return }
        lastDraw = now
        let elapsed = (now - start).seconds
        let rate = Double(done - startCount) / max(elapsed, 1e-9)
        let remaining = rate > 0 ? Double(total - done) / rate : .infinity
        let width = 24
        let filled = total > 0 ? min(width, width * done / total) : width
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let speed = rate >= 1 ? String(format: "%.1f %@/s", rate, label) : String(format: "%.2f s/%@", 1 / max(rate, 1e-9), label)
        let text = "[\(bar)] \(done)/\(total) \(label)  \(speed)  ETA \(Console.duration(remaining))  \(detail)"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// Clears the bar so that a plain line can be printed.
    func clear() {
        guard Console.isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    func finish() {
        guard Console.isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

