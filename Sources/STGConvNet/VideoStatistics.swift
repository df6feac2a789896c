import STGMedia

/// The statistics a synthesized video is compared on, computed on display values (0–255,
/// clipped), averaged over the whole video.
public struct VideoStatistics: Codable, Sendable, Equatable {
    /// Mean of each channel.
    public var channelMeans: [Double]
    /// Standard deviation of each channel.
    public var channelStds: [Double]
    /// Mean |I(t+1) − I(t)| over all pixels and channels.
    public var temporalDifference: Double
    /// Mean of |I(x+1) − I(x)| and |I(y+1) − I(y)| (the two means averaged).
    public var spatialGradient: Double

    public init(_ video: Video) {
        let plane = video.planeCount
        let volume = video.frames * plane
        func value(_ i: Int) -> Double { Double(min(max(video.samples[i], 0), 255)) }
        var means: [Double] = []
        var stds: [Double] = []
        var temporal = 0.0, temporalCount = 0
        var horizontal = 0.0, horizontalCount = 0
        var vertical = 0.0, verticalCount = 0
        for c in 0..<video.channels {
            let base = c * volume
            var sum = 0.0, sumSquares = 0.0
            for i in 0..<volume {
                let v = value(base + i)
                sum += v
                sumSquares += v * v
            }
            let mean = sum / Double(volume)
            means.append(mean)
            stds.append(max(sumSquares / Double(volume) - mean * mean, 0).squareRoot())
            for t in 0..<video.frames {
                let frame = base + t * plane
                for y in 0..<video.height {
                    for x in 0..<video.width {
                        let i = frame + y * video.width + x
                        if x + 1 < video.width { horizontal += abs(value(i + 1) - value(i)); horizontalCount += 1 }
                        if y + 1 < video.height { vertical += abs(value(i + video.width) - value(i)); verticalCount += 1 }
                        if t + 1 < video.frames { temporal += abs(value(i + plane) - value(i)); temporalCount += 1 }
                    }
                }
            }
        }
        channelMeans = means
        channelStds = stds
        temporalDifference = temporalCount > 0 ? temporal / Double(temporalCount) : 0
        let h = horizontalCount > 0 ? horizontal / Double(horizontalCount) : 0
        let v = verticalCount > 0 ? vertical / Double(verticalCount) : 0
        spatialGradient = (h + v) / 2
    }

    /// Named values, for tables: "mean R", "std R", …, "temporal diff", "spatial grad".
    public var namedValues: [(String, Double)] {
        let names = channelMeans.count == 3 ? ["R", "G", "B"] : (0..<channelMeans.count).map { "c\($0)" }
        var result: [(String, Double)] = []
        for (i, name) in names.enumerated() { result.append(("mean \(name)", channelMeans[i])) }
        for (i, name) in names.enumerated() { result.append(("std \(name)", channelStds[i])) }
        result.append(("temporal diff", temporalDifference))
        result.append(("spatial grad", spatialGradient))
        return result
    }

    /// Relative deviation of each statistic of `self` from `reference`: |a − b| / |b|.
    public func deviations(from reference: VideoStatistics) -> [(String, Double)] {
        zip(namedValues, reference.namedValues).map { mine, theirs in
            (mine.0, abs(mine.1 - theirs.1) / max(abs(theirs.1), 1e-9))
        }
    }
}

/// Whether synthesized videos are new videos or copies of the training clip.
///
/// All distances are mean absolute differences of display values (0–255, clipped), relative to
/// the mean absolute difference between observed frames half the clip apart (frame t and
/// t + T/2): the typical difference between two moments of the real video. A chain that copies
/// the training clip in step scores near 0 on `toObservedInStep` however good its statistics.
public struct NoveltyReport: Codable, Sendable, Equatable {
    /// Mean |observed(t) − observed(t + T/2)|, the unit of the ratios below (0–255 scale).
    public var observedFrameDifference: Double
    /// For each chain: mean |chain(t) − observed(t)| / unit.
    public var toObservedInStep: [Double]
    /// For each chain: mean over its frames of the smallest |chain(t) − observed(s)| over all s, / unit.
    public var toNearestObservedFrame: [Double]
    /// For each chain: the fraction of its frames whose nearest observed frame is frame t itself.
    public var inStepFraction: [Double]
    /// Mean |chain i − chain j| over pairs of chains, / unit (nil with one chain).
    public var betweenChains: Double?

    /// Compares chains with the observed video; they must have the same channels and frame size,
    /// and the in-step measures use the first min(T_chain, T_observed) frames.
    public init(chains: [Video], observed: Video) {
        func frameDistance(_ a: Video, _ ta: Int, _ b: Video, _ tb: Int) -> Double {
            var total = 0.0
            let plane = a.planeCount
            for c in 0..<a.channels {
                let ia = (c * a.frames + ta) * plane
                let ib = (c * b.frames + tb) * plane
                for i in 0..<plane {
                    let x = Double(min(max(a.samples[ia + i], 0), 255))
                    let y = Double(min(max(b.samples[ib + i], 0), 255))
                    total += abs(x - y)
                }
            }
            return total / Double(plane * a.channels)
        }
        let half = max(observed.frames / 2, 1)
        var unit = 0.0
        var pairs = 0
        for t in 0..<max(observed.frames - half, 0) {
            unit += frameDistance(observed, t, observed, t + half)
            pairs += 1
        }
        unit = pairs > 0 ? unit / Double(pairs) : 1
        unit = max(unit, 1e-9)
        observedFrameDifference = unit
        toObservedInStep = []
        toNearestObservedFrame = []
        inStepFraction = []
        for chain in chains {
            let frames = min(chain.frames, observed.frames)
            var inStep = 0.0
            var nearest = 0.0
            var hits = 0
            for t in 0..<chain.frames {
                var best = Double.infinity
                var bestIndex = -1
                for s in 0..<observed.frames {
                    let d = frameDistance(chain, t, observed, s)
                    if d < best { best = d; bestIndex = s }
                    if s == t && t < frames { inStep += d }
                }
                nearest += best
                if bestIndex == t { hits += 1 }
            }
            toObservedInStep.append(inStep / Double(max(frames, 1)) / unit)
            toNearestObservedFrame.append(nearest / Double(max(chain.frames, 1)) / unit)
            inStepFraction.append(Double(hits) / Double(max(chain.frames, 1)))
        }
        if chains.count > 1 {
            var total = 0.0
            var count = 0
            for i in 0..<chains.count {
                for j in i + 1..<chains.count {
                    let frames = min(chains[i].frames, chains[j].frames)
                    for t in 0..<frames { total += frameDistance(chains[i], t, chains[j], t) }
                    count += frames
                }
            }
            betweenChains = total / Double(max(count, 1)) / unit
        } else {
            betweenChains = nil
        }
    }
}
