import STGMedia

extension VideoMask {
    /// The mask grown by `radius` pixels in every frame (a (2·radius + 1)² square around each
    /// occluded pixel), so that a removed object's soft edges and shadow are removed too.
    public func dilated(by radius: Int) -> VideoMask {
        precondition(radius >= 0, "dilation radius must be ≥ 0, got \(radius)")
        if radius == 0 { return self }
        // Separable: a horizontal then a vertical running maximum.
        var horizontal = VideoMask(frames: frames, height: height, width: width)
        for t in 0..<frames {
            for y in 0..<height {
                for x in 0..<width where self[t, y, x] {
                    for dx in max(0, x - radius)...min(width - 1, x + radius) { horizontal[t, y, dx] = true }
                }
            }
        }
        var result = VideoMask(frames: frames, height: height, width: width)
        for t in 0..<frames {
            for y in 0..<height {
                for x in 0..<width where horizontal[t, y, x] {
                    for dy in max(0, y - radius)...min(height - 1, y + radius) { result[t, dy, x] = true }
                }
            }
        }
        return result
    }
}
