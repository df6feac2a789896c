/// The unknown pixels of a recovery problem and their neighbours, shared by all channels.
///
/// Pixels are indexed flat within one channel's volume: `(t·height + y)·width + x` (frames ×
/// height × width, width fastest). Each unknown has `slotsPerUnknown` = 6 neighbour slots in the
/// order x−1, x+1, y−1, y+1, t−1, t+1; a slot holds
/// - `k ≥ 0`: the neighbour is unknown number k;
/// - `absent` (−1): outside the video, or a temporal slot of a spatial-only graph;
/// - `−2 − p`: the neighbour is the fixed pixel at flat index p (its value is read from the
///   channel volume).
struct OcclusionGraph: Sendable {
    static let slotsPerUnknown = 6
    static let absent: Int32 = -1

    let frames: Int
    let height: Int
    let width: Int
    /// Flat index of each unknown.
    let position: [Int32]
    /// `slotsPerUnknown` slots per unknown (see the type's documentation).
    let slots: [Int32]
    /// The unknown–unknown edges in compressed rows (for the matrix–vector product): edges of
    /// unknown i are `edges[edgeStart[i]..<edgeStart[i + 1]]`.
    let edgeStart: [Int32]
    let edges: [Edge]

    /// One unknown–unknown edge seen from one end: the other end's unknown number, and the slot
    /// it occupies (which indexes the per-slot weights).
    struct Edge: Sendable {
        var neighbour: Int32
        var slot: Int32
    }

    var unknownCount: Int { position.count }

    /// The graph whose unknowns are the flagged pixels (`unknown`: frames × height × width).
    /// `temporal` adds the t±1 edges (6-neighbourhood); without it only x±1, y±1 (4 in-frame).
    init(unknown: [Bool], frames: Int, height: Int, width: Int, temporal: Bool) {
        precondition(unknown.count == frames * height * width,
                     "unknown flags: \(unknown.count) for \(frames)×\(height)×\(width)")
        precondition(unknown.count < Int(Int32.max) / 2, "video too large for 32-bit pixel indices")
        self.frames = frames
        self.height = height
        self.width = width
        var id = [Int32](repeating: -1, count: unknown.count)
        var position: [Int32] = []
        for p in unknown.indices where unknown[p] {
            id[p] = Int32(position.count)
            position.append(Int32(p))
        }
        let plane = height * width
        var slots = [Int32](repeating: Self.absent, count: position.count * Self.slotsPerUnknown)
        func neighbour(_ q: Int) -> Int32 { id[q] >= 0 ? id[q] : -2 - Int32(q) }
        for (k, p32) in position.enumerated() {
            let p = Int(p32)
            let x = p % width
            let y = (p / width) % height
            let t = p / plane
            let s = k * Self.slotsPerUnknown
            if x > 0 { slots[s] = neighbour(p - 1) }
            if x < width - 1 { slots[s + 1] = neighbour(p + 1) }
            if y > 0 { slots[s + 2] = neighbour(p - width) }
            if y < height - 1 { slots[s + 3] = neighbour(p + width) }
            if temporal {
                if t > 0 { slots[s + 4] = neighbour(p - plane) }
                if t < frames - 1 { slots[s + 5] = neighbour(p + plane) }
            }
        }
        var edgeStart = [Int32](repeating: 0, count: position.count + 1)
        var edges: [Edge] = []
        for i in 0..<position.count {
            for s in i * Self.slotsPerUnknown..<(i + 1) * Self.slotsPerUnknown where slots[s] >= 0 {
                edges.append(Edge(neighbour: slots[s], slot: Int32(s)))
            }
            edgeStart[i + 1] = Int32(edges.count)
        }
        self.position = position
        self.slots = slots
        self.edgeStart = edgeStart
        self.edges = edges
    }
}
