#if canImport(Glibc)
import Glibc
#endif

/// Uninitialized float memory for the kernels' big working buffers (activations, workspaces, prepared
/// weights), 64-byte aligned; from 2 MiB up it is aligned to 2 MiB and, on Linux, advised to be
/// backed by transparent huge pages (`madvise(MADV_HUGEPAGE)`, which Linux honours by default
/// only for memory that asks). The kernels' indirect reads jump between hundreds of channel
/// planes; with 4 KiB pages each jump can miss the TLB.
///
/// Release with `deallocate()`; the memory is never moved or resized.
public enum LargeBuffer {
    /// Sizes from which huge pages are asked for.
    public static let hugePageBytes = 2 << 20

    /// Room for `count` floats (at least one), uninitialized: pages are touched, and so count
    /// towards the process's memory, only where the caller writes.
    public static func allocate(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        let alignment = bytes >= hugePageBytes ? hugePageBytes : 64
        let rounded = (bytes + alignment - 1) / alignment * alignment
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: alignment)
        #if os(Linux)
        if alignment == hugePageBytes { _ = madvise(raw, rounded, MADV_HUGEPAGE) }
        #endif
        return UnsafeMutableBufferPointer(start: raw.bindMemory(to: Float.self, capacity: max(1, count)), count: max(1, count))
    }
}
