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

    /// `0..<count` cut into `parts` contiguous ranges of about equal total `cost(i)`, for loops
    /// whose items cost unequal work: boundary t goes where the running cost comes closest to
    /// t/parts of the total (ranges may be empty).
    public static func ranges(_ count: Int, parts: Int, cost: (Int) -> Int) -> [Range<Int>] {
        precondition(parts >= 1, "parts must be at least 1, got \(parts)")
        var prefix = [0]
        prefix.reserveCapacity(count + 1)
        for i in 0..<count { prefix.append(prefix[i] + cost(i)) }
        var bounds = [0]
        var i = 0
        for t in 1..<parts {
            let share = Double(prefix[count]) * Double(t) / Double(parts)
            while i < count && Double(prefix[i + 1]) <= share { i += 1 }
            // prefix[i] ≤ share < prefix[i + 1]: the nearer of the two.
            let cut = i < count && Double(prefix[i + 1]) - share < share - Double(prefix[i]) ? i + 1 : i
            bounds.append(max(bounds[t - 1], cut))
        }
        bounds.append(count)
        return (0..<parts).map { bounds[$0]..<bounds[$0 + 1] }
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
