import STGMedia

extension VideoMask {
    /// The mask resized to `width`×`height` by nearest-neighbour sampling (frames unchanged).
    ///
    /// Target pixel (y, x) takes source pixel (⌊(y + ½)·H/height⌋, ⌊(x + ½)·W/width⌋), the
    /// pixel whose area contains the target pixel's centre. Pairs the published 150×150 recovery
    /// masks with 100×100 frames, as the data README suggests.
    public func resized(height newHeight: Int, width newWidth: Int) -> VideoMask {
        precondition(newHeight > 0 && newWidth > 0, "invalid mask size \(newWidth)x\(newHeight)")
        // Source index of each target row and column: ⌊(2i + 1)·size / (2·newSize)⌋ in integers.
        let rows = (0..<newHeight).map { ((2 * $0 + 1) * height) / (2 * newHeight) }
        let columns = (0..<newWidth).map { ((2 * $0 + 1) * width) / (2 * newWidth) }
        var out = VideoMask(frames: frames, height: newHeight, width: newWidth)
        for t in 0..<frames {
            for (y, sy) in rows.enumerated() {
                for (x, sx) in columns.enumerated() { out[t, y, x] = self[t, sy, sx] }
            }
        }
        return out
    }

    /// Frames `range` of the mask.
    public func frames(_ range: Range<Int>) -> VideoMask {
        precondition(range.lowerBound >= 0 && range.upperBound <= frames, "frames \(range) outside 0..<\(frames)")
        let plane = height * width
        return VideoMask(
            frames: range.count, height: height, width: width,
            occluded: Array(occluded[range.lowerBound * plane..<range.upperBound * plane]))
    }
}
