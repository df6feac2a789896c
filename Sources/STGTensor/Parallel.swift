import Dispatch
import Synchronization

/// The one parallel-for of the package: splits `0..<count` among the worker threads.
///
/// Uses Dispatch's shared pool (no per-call thread start-up). Work is deterministic: results must
/// not depend on how indices are assigned to threads, which every caller guarantees by writing
/// disjoint ranges or per-index partial results.
public enum Parallel {
    private static let configuredThreads = Atomic<Int>(0)

    /// Number of threads parallel loops use (default: the number of active processors).
    public static var threads: Int {
        get {
            let value = configuredThreads.load(ordering: .relaxed)
            return value > 0 ? value : ProcessInfoCores.active
        }
        set {
            precondition(newValue >= 1, "thread count must be at least 1, got \(newValue)")
            configuredThreads.store(newValue, ordering: .relaxed)
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, in parallel when there is more than one thread.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        let workers = min(threads, count)
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let task = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                // Dynamic scheduling: each worker takes the next index until none are left.
                while true {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    if i >= count { break }
                    task.value(i)
                }
            }
        }
    }

    /// Runs `body(range)` on `threads` contiguous chunks of `0..<count` (at least `grain` each).
    public static func forChunks(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let chunks = max(1, min(threads, count / max(grain, 1)))
        if chunks == 1 {
            body(0..<count)
            return
        }
        forEach(chunks) { chunk in
            body(chunk * count / chunks..<(chunk + 1) * count / chunks)
        }
    }

    /// Range `part` of `0..<count` cut into `parts` contiguous ranges of about equal total
    /// `cost(i)`, for loops whose items cost unequal work: cut t goes where the running cost comes
    /// nearest t/parts of the total (the earlier cut on a tie; ranges may be empty). Allocates
    /// nothing (it runs inside the Langevin loop); it reads the costs three times per call.
    public static func range(_ part: Int, of parts: Int, count: Int, cost: (Int) -> Int) -> Range<Int> {
        precondition(parts >= 1 && (0..<parts).contains(part), "part \(part) of \(parts)")
        var total = 0
        for i in 0..<count { total += cost(i) }
        func cut(_ t: Int) -> Int {
            if t == 0 { return 0 }
            if t == parts { return count }
            // In units of 1/parts: the share is total·t, the running cost running·parts.
            let share = total * t
            var running = 0
            var i = 0
            while i < count && (running + cost(i)) * parts <= share {
                running += cost(i)
                i += 1
            }
            if i < count && (running + cost(i)) * parts - share < share - running * parts { i += 1 }
            return i
        }
        let lower = cut(part)
        return lower..<max(lower, cut(part + 1))
    }
}

/// Wraps a value that is shared across the threads of one `Parallel` loop.
///
/// Callers write disjoint ranges through any pointers inside; that is what makes it safe.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

enum ProcessInfoCores {
    static let active: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif
