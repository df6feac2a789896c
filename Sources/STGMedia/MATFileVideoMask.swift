extension MATArray {
    /// The array read as an occlusion mask laid out (height, width, frames[, channels]), the
    /// layout of the published recovery and inpainting masks: nonzero = occluded. `channel`
    /// picks one channel of a 4-D array (the published masks repeat the same flags in each).
    /// `path` names the file in errors.
    public func videoMask(channel: Int = 0, path: String) throws -> VideoMask {
        guard dimensions.count == 3 || dimensions.count == 4 else {
            throw MediaError(path, "MAT-file variable '\(name)' has dimensions \(dimensions); a mask needs (height, width, frames[, channels])")
        }
        let (height, width, frames) = (dimensions[0], dimensions[1], dimensions[2])
        let channels = dimensions.count == 4 ? dimensions[3] : 1
        guard (0..<channels).contains(channel) else {
            throw MediaError(path, "MAT-file variable '\(name)' has \(channels) channels; channel \(channel) was asked for")
        }
        guard height > 0 && width > 0 else {
            throw MediaError(path, "MAT-file variable '\(name)' is empty (dimensions \(dimensions))")
        }
        var mask = VideoMask(frames: frames, height: height, width: width)
        let bytes = uint8Values
        let values = bytes == nil ? self.values : []
        // Element (y, x, t, channel) is at y + H·(x + W·(t + T·channel)); the mask is (t, y, x).
        for t in 0..<frames {
            for y in 0..<height {
                for x in 0..<width {
                    let source = y + height * (x + width * (t + frames * channel))
                    mask.occluded[(t * height + y) * width + x] = bytes.map { $0[source] != 0 } ?? (values[source] != 0)
                }
            }
        }
        return mask
    }
}
