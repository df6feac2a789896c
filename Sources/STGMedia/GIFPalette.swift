/// One colour table for a whole video: the exact colours when there are at most 256, otherwise
/// median cut over a 6-bit-per-channel histogram of every frame.
struct GIFPalette {
    /// RGB triples, at most 256 entries.
    var colours: [UInt8]
    /// Exact colour (r << 16 | g << 8 | b) → index, when every input colour is in the table.
    var exact: [UInt32: UInt8]?
    /// Nearest entry for each 6-bit-per-channel colour cell, filled lazily (-1 = not yet).
    private var nearestCache: [Int16]

    var count: Int { colours.count / 3 }

    /// Chooses the palette for `frames`, each RGB interleaved (height × width × 3).
    init(frames: [[UInt8]]) {
        // Pass 1: distinct colours, stopping at 257.
        var seen = [UInt64](repeating: 0, count: (1 << 24) / 64)
        var distinct: [UInt32] = []
        scan: for frame in frames {
            var i = 0
            while i < frame.count {
                let colour = UInt32(frame[i]) << 16 | UInt32(frame[i + 1]) << 8 | UInt32(frame[i + 2])
                let word = Int(colour >> 6), bit = UInt64(1) << (colour & 63)
                if seen[word] & bit == 0 {
                    seen[word] |= bit
                    distinct.append(colour)
                    if distinct.count > 256 { break scan }
                }
                i += 3
            }
        }
        nearestCache = [Int16](repeating: -1, count: 1 << 18)
        if distinct.count <= 256 {
            distinct.sort()
            colours = distinct.flatMap { [UInt8($0 >> 16), UInt8($0 >> 8 & 0xFF), UInt8($0 & 0xFF)] }
            if colours.isEmpty { colours = [0, 0, 0] }
            var table: [UInt32: UInt8] = [:]
            for (index, colour) in distinct.enumerated() { table[colour] = UInt8(index) }
            exact = table
            return
        }
        exact = nil
        colours = GIFPalette.medianCut(frames: frames, maxColours: 256)
    }

    /// Median cut: start with one box around all histogram cells, repeatedly split the box with
    /// the most pixels × widest channel range at the pixel-weighted median of that channel;
    /// each box's colour is the mean of its pixels.
    static func medianCut(frames: [[UInt8]], maxColours: Int) -> [UInt8] {
        // Histogram over 6-bit cells, with colour sums for exact means.
        var count = [Int](repeating: 0, count: 1 << 18)
        var sums = [Int](repeating: 0, count: 3 << 18)
        for frame in frames {
            var i = 0
            while i < frame.count {
                let cell = Int(frame[i] >> 2) << 12 | Int(frame[i + 1] >> 2) << 6 | Int(frame[i + 2] >> 2)
                count[cell] += 1
                sums[3 * cell] += Int(frame[i])
                sums[3 * cell + 1] += Int(frame[i + 1])
                sums[3 * cell + 2] += Int(frame[i + 2])
                i += 3
            }
        }
        let cells = (0..<(1 << 18)).filter { count[$0] > 0 }
        func channel(_ cell: Int, _ c: Int) -> Int { cell >> (12 - 6 * c) & 63 }
        struct Box { var cells: [Int]; var pixels: Int }
        var boxes = [Box(cells: cells, pixels: cells.reduce(0) { $0 + count[$1] })]
        func range(_ box: Box) -> (channel: Int, width: Int) {
            var best = (0, -1)
            for c in 0..<3 {
                var low = 63, high = 0
                for cell in box.cells {
                    let v = channel(cell, c)
                    low = min(low, v)
                    high = max(high, v)
                }
                if high - low > best.1 { best = (c, high - low) }
            }
            return best
        }
        while boxes.count < maxColours {
            // The box to split: most pixels × widest range among boxes with more than one cell.
            var chosen = -1
            var score = 0
            for (i, box) in boxes.enumerated() where box.cells.count > 1 {
                let s = box.pixels * (range(box).width + 1)
                if s > score { score = s; chosen = i }
            }
            if chosen < 0 { break }
            let box = boxes[chosen]
            let axis = range(box).channel
            let sorted = box.cells.sorted { channel($0, axis) < channel($1, axis) }
            // Weighted median, keeping at least one cell on each side.
            var running = 0
            var split = 1
            for (i, cell) in sorted.enumerated() {
                running += count[cell]
                if running * 2 >= box.pixels { split = i + 1; break }
            }
            split = min(max(split, 1), sorted.count - 1)
            let low = Array(sorted[..<split]), high = Array(sorted[split...])
            boxes[chosen] = Box(cells: low, pixels: low.reduce(0) { $0 + count[$1] })
            boxes.append(Box(cells: high, pixels: high.reduce(0) { $0 + count[$1] }))
        }
        var colours: [UInt8] = []
        for box in boxes {
            var total = [0, 0, 0]
            for cell in box.cells {
                for c in 0..<3 { total[c] += sums[3 * cell + c] }
            }
            for c in 0..<3 { colours.append(UInt8((total[c] + box.pixels / 2) / max(box.pixels, 1))) }
        }
        return colours
    }

    /// Index of the entry nearest (squared RGB distance) to the colour; exact colours map to
    /// themselves, others through a per-cell cache (nearest to the cell's centre).
    mutating func index(r: Int, g: Int, b: Int) -> UInt8 {
        if let exact, let index = exact[UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)] { return index }
        let cell = (r >> 2) << 12 | (g >> 2) << 6 | (b >> 2)
        let cached = nearestCache[cell]
        if cached >= 0 { return UInt8(cached) }
        let (cr, cg, cb) = ((r >> 2) << 2 | 2, (g >> 2) << 2 | 2, (b >> 2) << 2 | 2)
        var best = 0
        var bestDistance = Int.max
        for i in 0..<count {
            let dr = Int(colours[3 * i]) - cr, dg = Int(colours[3 * i + 1]) - cg, db = Int(colours[3 * i + 2]) - cb
            let distance = dr * dr + dg * dg + db * db
            if distance < bestDistance { bestDistance = distance; best = i }
        }
        nearestCache[cell] = Int16(best)
        return UInt8(best)
    }
}
