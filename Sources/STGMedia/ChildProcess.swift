import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One running child process (ffmpeg or ffprobe) and its three pipes.
///
/// The caller reads standard output (raw frames, probe text) on its own thread; standard error is
/// drained on a background thread from launch on, so a chatty child never blocks on a full pipe;
/// standard input is either /dev/null or a pipe the caller (or `feedInput`) writes. Every path
/// out ends in `finish` (wait, check the exit status) or `terminate` (kill and reap): no child is
/// left running or unreaped.
///
/// A class because it owns a process and file descriptors.
package final class ChildProcess: @unchecked Sendable {
    /// The executable, for messages.
    let executable: String
    /// What the process works on (input or output file), for messages.
    let subject: String

    private let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private let input: Pipe?
    private let lock = NSLock()
    private let errorLog = ErrorLog()
    private let inputFed = DispatchSemaphore(value: 0)
    private var feeding = false
    private var feedError: String?
    private var finished = false
    private var inputClosed = false
    private var outcome: Result<Void, MediaError>?

    /// Starts `executable` with `arguments`. `withInput` gives it a standard-input pipe.
    /// `subject` names the file it works on in errors.
    package init(executable: String, arguments: [String], subject: String, withInput: Bool = false) throws {
        self.executable = executable
        self.subject = subject
        self.input = withInput ? Pipe() : nil
        ChildProcess.ignoreBrokenPipeSignal
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            // Nothing was started: nothing to kill or reap when this object goes away.
            finished = true
            throw MediaError(executable, "cannot run (\(error.localizedDescription)) for \(subject)")
        }
        // The drain thread holds only the pipe and the log, not `self`, so dropping a
        // ChildProcess still reaches `deinit`, which kills and reaps the child.
        let handle = errors.fileHandleForReading
        let log = errorLog
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                log.append(chunk)
            }
            log.drained.signal()
        }
    }

    /// Standard error as drained so far (its tail) and a signal for the end of the stream.
    private final class ErrorLog: @unchecked Sendable {
        private let lock = NSLock()
        private var text: [UInt8] = []
        let drained = DispatchSemaphore(value: 0)

        func append(_ chunk: Data) {
            lock.lock()
            text.append(contentsOf: chunk)
            // Keep the tail only: the last lines are what explain a failure.
            if text.count > 65536 { text.removeFirst(text.count - 32768) }
            lock.unlock()
        }

        var contents: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: text, as: UTF8.self)
        }
    }

    deinit {
        if !finished { terminate() }
    }

    /// Writing to a pipe whose reader died raises SIGPIPE, which kills this process by default.
    /// Ignoring it (only when nobody installed a handler) turns that into an EPIPE error that
    /// `write` reports with ffmpeg's own message.
    private static let ignoreBrokenPipeSignal: Void = {
        var current = sigaction()
        sigaction(SIGPIPE, nil, &current)
        #if canImport(Darwin)
        let isDefault = current.__sigaction_u.__sa_handler == nil
        #else
        let isDefault = current.__sigaction_handler.sa_handler == nil
        #endif
        if isDefault { signal(SIGPIPE, SIG_IGN) }
    }()

    // MARK: Standard output

    /// Reads until `buffer` is full or standard output ends; returns the bytes read.
    package func read(into buffer: inout [UInt8]) -> Int {
        let fd = output.fileHandleForReading.fileDescriptor
        var filled = 0
        buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            while filled < raw.count {
                let n = Foundation.read(fd, base + filled, raw.count - filled)
                if n > 0 {
                    filled += n
                } else if n == 0 || errno != EINTR {
                    break
                }
            }
        }
        return filled
    }

    /// Reads standard output to its end.
    package func readAll() -> [UInt8] {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(into: &chunk)
            all.append(contentsOf: chunk[0..<n])
            if n < chunk.count { return all }
        }
    }

    // MARK: Standard input

    /// Writes `bytes` to standard input. Throws when the child stopped reading (it exited), with
    /// its last error line.
    package func write(_ bytes: [UInt8]) throws {
        guard let input else { preconditionFailure("ChildProcess.write needs withInput: true") }
        let fd = input.fileHandleForWriting.fileDescriptor
        var sent = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while sent < raw.count {
                let n = Foundation.write(fd, base + sent, raw.count - sent)
                if n > 0 {
                    sent += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    failure = errno
                    break
                }
            }
        }
        if sent < bytes.count {
            // The caller's `finish()` then reports the child's exit status and last error line.
            closeInput()
            throw MediaError(subject, "\(name) stopped reading its input (\(String(cString: strerror(failure))))\(lastErrorLineQuoted)")
        }
    }

    /// Writes `chunks` to standard input on a background thread, then closes it; `finish` waits
    /// for it. Used when the caller reads standard output at the same time.
    package func feedInput(_ chunks: [[UInt8]]) {
        feeding = true
        Thread.detachNewThread { [self] in
            for chunk in chunks {
                do {
                    try write(chunk)
                } catch {
                    lock.lock()
                    feedError = "\(error)"
                    lock.unlock()
                    break
                }
            }
            closeInput()
            inputFed.signal()
        }
    }

    /// Closes standard input: the child sees end of input.
    package func closeInput() {
        lock.lock()
        defer { lock.unlock() }
        if let input, !inputClosed {
            inputClosed = true
            try? input.fileHandleForWriting.close()
        }
    }

    // MARK: Ending

    /// The child's process id (for tests that check it was reaped).
    package var processIdentifier: Int32 { process.processIdentifier }

    /// The executable's file name.
    var name: String { (executable as NSString).lastPathComponent }

    /// The last non-empty line the child wrote to standard error.
    package var lastErrorLine: String {
        errorLog.contents.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .last(where: { !$0.isEmpty }) ?? ""
    }

    /// Everything kept of standard error (its last 32–64 KB).
    package var errorOutput: String { errorLog.contents }

    private var lastErrorLineQuoted: String {
        let line = lastErrorLine
        return line.isEmpty ? "" : ": \"\(line)\""
    }

    private func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits for the child to exit and for its pipes to drain; a non-zero exit status throws a
    /// `MediaError` naming the subject and quoting the child's last error line.
    /// Calling it again returns the same outcome.
    package func finish() throws {
        if let outcome { return try outcome.get() }
        if finished { throw MediaError(subject, "\(name) was stopped") }
        closeInput()
        if feeding { inputFed.wait() }
        try? output.fileHandleForReading.close()
        let status = waitForExit()
        errorLog.drained.wait()
        finished = true
        lock.lock()
        let fed = feedError
        lock.unlock()
        if status != 0 || process.terminationReason != .exit {
            let how = process.terminationReason == .exit ? "exit status \(status)" : "killed by signal \(status)"
            outcome = .failure(MediaError(subject, "\(name) failed (\(how))\(lastErrorLineQuoted)"))
        } else if let fed {
            outcome = .failure(MediaError(subject, fed))
        } else {
            outcome = .success(())
        }
        try outcome!.get()
    }

    /// Kills the child (if still running) and reaps it. Safe to call more than once.
    package func terminate() {
        if finished { return }
        finished = true
        if process.isRunning { process.terminate() }
        closeInput()
        try? output.fileHandleForReading.close()
        process.waitUntilExit()
        if feeding { inputFed.wait() }
        errorLog.drained.wait()
    }
}
