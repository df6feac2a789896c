/// How Float samples become displayable bytes when a video is written.
public enum DisplayMapping: String, Sendable, CaseIterable {
    /// Round and clip to 0–255 (samples are already on the 0–255 scale). The default.
    case clip
    /// Per frame, map the frame's minimum (over all channels) to 0 and its maximum to 255, for
    /// videos whose samples are not on the 0–255 scale (filters, gradients, differences). A
    /// constant frame falls back to `clip`.
    case stretch
}

extension Video {
    /// Frame `t` as an 8-bit image (height × width × channels interleaved) under `mapping`.
    /// NaN becomes 0.
    public func image(frame t: Int, mapping: DisplayMapping = .clip) -> Image {
        precondition(t >= 0 && t < frames, "frame \(t) outside 0..<\(frames)")
        let plane = planeCount
        var scale: Float = 1
        var offset: Float = 0
        if mapping == .stretch {
            var low = Float.infinity
            var high = -Float.infinity
            for c in 0..<channels {
                let base = (c * frames + t) * plane
                for i in base..<base + plane where !samples[i].isNaN {
                    low = min(low, samples[i])
                    high = max(high, samples[i])
                }
            }
            if high > low && high.isFinite && low.isFinite {
                scale = 255 / (high - low)
                offset = -low * scale
            }
        }
        var pixels = [UInt8](repeating: 0, count: plane * channels)
        for c in 0..<channels {
            let base = (c * frames + t) * plane
            for i in 0..<plane {
                let v = samples[base + i] * scale + offset
                pixels[i * channels + c] = v.isNaN ? 0 : UInt8(min(max(v.rounded(), 0), 255))
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }
}
