/// How `Resize` samples the source.
public enum ResizeMethod: String, Sendable, CaseIterable {
    /// The source pixel whose area contains the target pixel's centre: source index
    /// ⌊(i + ½)·inSize/outSize⌋. For masks and labels.
    case nearest
    /// Triangle filter on half-pixel centres, like PIL's `BILINEAR`: plain bilinear
    /// interpolation (edges clamped) when enlarging; when shrinking by a factor s the triangle
    /// widens to s source pixels each side, so downscales average instead of aliasing.
    case bilinear
    /// Exact area averaging: each target pixel is the mean of the source area it covers
    /// (fractional pixels weighted by their overlap), like OpenCV's `INTER_AREA`.
    case area
}

/// Resizing of planes, videos and masks (separable filters: rows, then columns).
public enum Resize {
    /// One axis's filter: for each target index, the first source index and its weights
    /// (normalised to sum 1).
    struct AxisWeights {
        var starts: [Int]
        var weights: [[Float]]

        init(from inSize: Int, to outSize: Int, method: ResizeMethod) {
            let scale = Double(inSize) / Double(outSize)
            starts = []
            weights = []
            for i in 0..<outSize {
                switch method {
                case .nearest:
                    starts.append(min(((2 * i + 1) * inSize) / (2 * outSize), inSize - 1))
                    weights.append([1])
                case .bilinear:
                    // PIL's resample: centre (i + ½)·scale in source coordinates, support
                    // max(scale, 1), taps j with triangle weight 1 − |(j + ½ − centre)/support|.
                    let centre = (Double(i) + 0.5) * scale
                    let support = max(scale, 1)
                    let low = max(Int(centre - support + 0.5), 0)
                    let high = min(Int(centre + support + 0.5), inSize)
                    var taps: [Double] = []
                    for j in low..<max(high, low + 1) {
                        taps.append(max(0, 1 - abs((Double(j) + 0.5 - centre) / support)))
                    }
                    append(start: low, taps)
                case .area:
                    // Target pixel i covers source [i·scale, (i + 1)·scale).
                    let left = Double(i) * scale, right = Double(i + 1) * scale
                    let low = min(Int(left), inSize - 1)
                    let high = min(Int(right.rounded(.up)), inSize)
                    var taps: [Double] = []
                    for j in low..<max(high, low + 1) {
                        taps.append(max(0, min(right, Double(j + 1)) - max(left, Double(j))))
                    }
                    append(start: low, taps)
                }
            }
        }

        /// Drops zero taps at both ends, normalises, and appends.
        private mutating func append(start: Int, _ taps: [Double]) {
            var first = 0
            var last = taps.count - 1
            while first < last && taps[first] == 0 { first += 1 }
            while last > first && taps[last] == 0 { last -= 1 }
            let kept = Array(taps[first...last])
            let total = kept.reduce(0, +)
            starts.append(start + first)
            weights.append(total > 0 ? kept.map { Float($0 / total) } : [1])
        }
    }

    /// Resizes one plane.
    /// - Parameters:
    ///   - plane: height × width samples, row-major.
    /// - Returns: toHeight × toWidth samples, row-major (a new array; the input is unchanged).
    public static func plane(_ plane: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int,
                             method: ResizeMethod = .bilinear) -> [Float] {
        precondition(width > 0 && height > 0 && toWidth > 0 && toHeight > 0,
                     "invalid resize \(width)x\(height) → \(toWidth)x\(toHeight)")
        precondition(plane.count == width * height, "plane \(width)x\(height) needs \(width * height) samples, got \(plane.count)")
        let columns = AxisWeights(from: width, to: toWidth, method: method)
        let rows = AxisWeights(from: height, to: toHeight, method: method)
        return resize(plane[...], width: width, height: height, columns: columns, rows: rows)
    }

    /// Resizes every frame of every channel of `video` to `width` × `height` (channels, frames
    /// and frame rate unchanged).
    public static func video(_ video: Video, width: Int, height: Int, method: ResizeMethod = .bilinear) -> Video {
        precondition(width > 0 && height > 0, "invalid video size \(width)x\(height)")
        if width == video.width && height == video.height { return video }
        let columns = AxisWeights(from: video.width, to: width, method: method)
        let rows = AxisWeights(from: video.height, to: height, method: method)
        var samples: [Float] = []
        samples.reserveCapacity(video.channels * video.frames * width * height)
        let plane = video.planeCount
        // Layout channels × frames × height × width: planes are consecutive.
        for p in 0..<video.channels * video.frames {
            samples += resize(video.samples[p * plane..<(p + 1) * plane], width: video.width, height: video.height,
                              columns: columns, rows: rows)
        }
        return Video(channels: video.channels, frames: video.frames, height: height, width: width,
                     samples: samples, frameRate: video.frameRate)
    }

    /// Resizes a mask by nearest-neighbour sampling (frames unchanged): target (y, x) takes
    /// source (⌊(y + ½)·H/height⌋, ⌊(x + ½)·W/width⌋).
    public static func mask(_ mask: VideoMask, width: Int, height: Int) -> VideoMask {
        precondition(width > 0 && height > 0, "invalid mask size \(width)x\(height)")
        let sourceRows = (0..<height).map { ((2 * $0 + 1) * mask.height) / (2 * height) }
        let sourceColumns = (0..<width).map { ((2 * $0 + 1) * mask.width) / (2 * width) }
        var out = VideoMask(frames: mask.frames, height: height, width: width)
        for t in 0..<mask.frames {
            for (y, sy) in sourceRows.enumerated() {
                let source = (t * mask.height + sy) * mask.width
                let target = (t * height + y) * width
                for (x, sx) in sourceColumns.enumerated() { out.occluded[target + x] = mask.occluded[source + sx] }
            }
        }
        return out
    }

    /// Separable resize of one plane: filter each row into `columns.starts.count` samples,
    /// then each column of that into `rows.starts.count` rows.
    static func resize(_ plane: ArraySlice<Float>, width: Int, height: Int, columns: AxisWeights, rows: AxisWeights) -> [Float] {
        let outWidth = columns.starts.count, outHeight = rows.starts.count
        var horizontal = [Float](repeating: 0, count: height * outWidth)  // height × outWidth
        plane.withUnsafeBufferPointer { source in
            horizontal.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = y * width
                    for x in 0..<outWidth {
                        let start = row + columns.starts[x]
                        var sum: Float = 0
                        for (k, w) in columns.weights[x].enumerated() { sum += w * source[start + k] }
                        target[y * outWidth + x] = sum
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: outHeight * outWidth)
        horizontal.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    let start = rows.starts[y]
                    let taps = rows.weights[y]
                    for x in 0..<outWidth { target[y * outWidth + x] = 0 }
                    for (k, w) in taps.enumerated() {
                        let row = (start + k) * outWidth
                        for x in 0..<outWidth { target[y * outWidth + x] += w * source[row + x] }
                    }
                }
            }
        }
        return out
    }
}
