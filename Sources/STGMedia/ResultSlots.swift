import Foundation

/// One result per index, written from concurrent iterations (`DispatchQueue.concurrentPerform`)
/// and read once they are all done; the lock makes the writes safe.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [Result<T, any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, any Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    /// All values in order, or the first error by index.
    func values() throws -> [T] { try slots.map { try $0!.get() } }
}
