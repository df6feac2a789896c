import STGMedia

/// How occluded samples are filled before recovery starts.
public enum InitialFill: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Each channel's occluded samples get the mean of that channel's visible samples.
    case visibleMean = "mean"
    /// Per-pixel linear interpolation along time (`TemporalInterpolation`, with its fallbacks).
    case temporalInterpolation = "interp-temporal"

    public var description: String { rawValue }
}

/// Applying a mask to a video, and the starting fills recovery methods use.
///
/// Video layout: channels × frames × height × width; mask layout: frames × height × width,
/// shared by all channels, `true` = occluded. Every function here leaves visible samples
/// bit-identical. The mask must fit the video (`RecoveryError.check(_:fits:)`); a mismatch is a
/// programmer error and stops with the sizes.
public enum Occlusion {
    /// The occluded input: `video` with every occluded sample (all channels) set to `fill`.
    public static func apply(_ mask: VideoMask, to video: Video, fill: Float) -> Video {
        preconditionFits(mask, video)
        var out = video
        let volume = mask.occluded.count
        for c in 0..<video.channels {
            let base = c * volume
            for i in 0..<volume where mask.occluded[i] { out.samples[base + i] = fill }
        }
        return out
    }

    /// Mean of the visible samples of each channel (accumulated in Double); 0 for a channel
    /// when nothing is visible.
    public static func visibleMeans(of video: Video, mask: VideoMask) -> [Float] {
        preconditionFits(mask, video)
        let volume = mask.occluded.count
        return (0..<video.channels).map { c in
            var sum = 0.0
            var count = 0
            let base = c * volume
            for i in 0..<volume where !mask.occluded[i] {
                sum += Double(video.samples[base + i])
                count += 1
            }
            return count > 0 ? Float(sum / Double(count)) : 0
        }
    }

    /// `video` with occluded samples replaced by the starting values of `method`.
    public static func initialFill(_ video: Video, mask: VideoMask, method: InitialFill = .visibleMean) -> Video {
        switch method {
        case .visibleMean:
            let means = visibleMeans(of: video, mask: mask)
            var out = video
            let volume = mask.occluded.count
            for c in 0..<video.channels {
                let base = c * volume
                for i in 0..<volume where mask.occluded[i] { out.samples[base + i] = means[c] }
            }
            return out
        case .temporalInterpolation:
            return TemporalInterpolation().recover(video, mask: mask)
        }
    }
}
