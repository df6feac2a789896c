import STGMedia

/// Size and frame changes of a `VideoMask` (frames × height × width, `true` = occluded).
///
/// A namespace rather than `VideoMask` extensions, so that these never collide with members
/// STGMedia may add to its own type.
public enum MaskTransform {
    /// `mask` resized to `width`×`height` by nearest-neighbour sampling (frames unchanged).
    ///
    /// Target pixel (y, x) takes source pixel (⌊(y + ½)·H/height⌋, ⌊(x + ½)·W/width⌋), the
    /// pixel whose area contains the target pixel's centre. Pairs the published 150×150 recovery
    /// masks with 100×100 frames, as the data README suggests.
    public static func resizedNearest(_ mask: VideoMask, height newHeight: Int, width newWidth: Int) -> VideoMask {
        precondition(newHeight > 0 && newWidth > 0, "invalid mask size \(newWidth)x\(newHeight)")
        // Source index of each target row and column: ⌊(2i + 1)·size / (2·newSize)⌋ in integers.
        let rows = (0..<newHeight).map { ((2 * $0 + 1) * mask.height) / (2 * newHeight) }
        let columns = (0..<newWidth).map { ((2 * $0 + 1) * mask.width) / (2 * newWidth) }
        var out = VideoMask(frames: mask.frames, height: newHeight, width: newWidth)
        for t in 0..<mask.frames {
            for (y, sy) in rows.enumerated() {
                for (x, sx) in columns.enumerated() { out[t, y, x] = mask[t, sy, sx] }
            }
        }
        return out
    }

    /// Frames `range` of `mask`.
    public static func frames(_ range: Range<Int>, of mask: VideoMask) -> VideoMask {
        precondition(range.lowerBound >= 0 && range.upperBound <= mask.frames,
                     "frames \(range) outside 0..<\(mask.frames)")
        let plane = mask.height * mask.width
        return VideoMask(
            frames: range.count, height: mask.height, width: mask.width,
            occluded: Array(mask.occluded[range.lowerBound * plane..<range.upperBound * plane]))
    }
}
