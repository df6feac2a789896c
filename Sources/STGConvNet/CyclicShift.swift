import STGTensor

/// Rolls videos cyclically along time, height and width.
package enum CyclicShift {
    /// Writes `source` (shape `shape`, NCTHW) rolled by `shift` into `target`: the value at
    /// (t, y, x) moves to ((t + shift.t) mod T, (y + shift.y) mod H, (x + shift.x) mod W).
    package static func apply(
        _ source: UnsafePointer<Float>, shape: TensorShape, by shift: (t: Int, y: Int, x: Int),
        into target: UnsafeMutablePointer<Float>
    ) {
        let (frames, height, width) = (shape.frames, shape.height, shape.width)
        let plane = height * width
        for volume in 0..<(shape.videos * shape.channels) {
            let from = source + volume * shape.volumeCount
            let to = target + volume * shape.volumeCount
            for t in 0..<frames {
                let tt = (t + shift.t) % frames
                for y in 0..<height {
                    let yy = (y + shift.y) % height
                    let row = from + t * plane + y * width
                    let out = to + tt * plane + yy * width
                    // The row splits into two runs around the wrap point.
                    let split = width - shift.x
                    (out + shift.x).update(from: row, count: split)
                    out.update(from: row + split, count: shift.x)
                }
            }
        }
    }
}
