import STGMedia

/// `interp-temporal`: each occluded pixel is interpolated linearly along time between the
/// nearest visible frames of that pixel.
///
/// With a visible frame on one side only, the pixel takes that nearest visible value. Pixels
/// never visible in any frame fall back to the spatial harmonic fill of `SpatialInterpolation`
/// (each frame, 4-neighbourhood, all other pixels fixed at their visible or interpolated values).
/// When nothing at all is visible, occluded samples become 0. Visible samples are copied
/// bit-identically. Cost: O(channels × frames × height × width) plus the fallback solve.
public struct TemporalInterpolation: RecoveryMethod {
    /// Tolerance of the spatial fallback solve (grey levels, see `LaplacianSolver`).
    public var tolerance: Double
    /// Iteration limit of the spatial fallback solve.
    public var maxIterations: Int

    public init(tolerance: Double = 1e-5, maxIterations: Int = 20_000) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    public var name: String { Baseline.interpTemporal.rawValue }

    public func recoverWithReport(_ video: Video, mask: VideoMask) -> RecoveryOutcome {
        preconditionFits(mask, video)
        var out = video
        let plane = video.planeCount
        let never = Self.interpolateAlongTime(&out, known: mask.occluded.map { !$0 })
        if never.isEmpty { return RecoveryOutcome(video: out, report: nil) }
        if never.count == plane {
            return RecoveryOutcome(video: Occlusion.initialFill(video, mask: mask, method: .visibleMean), report: nil)
        }
        // Spatial fallback for the never-visible pixels, in every frame.
        var unknown = [Bool](repeating: false, count: mask.occluded.count)
        for t in 0..<video.frames {
            for i in never { unknown[t * plane + i] = true }
        }
        let means = Occlusion.visibleMeans(of: video, mask: mask)
        let volume = mask.occluded.count
        for c in 0..<video.channels {
            for t in 0..<video.frames {
                for i in never { out.samples[c * volume + t * plane + i] = means[c] }
            }
        }
        let graph = OcclusionGraph(
            unknown: unknown, frames: video.frames, height: video.height, width: video.width, temporal: false)
        let report = LaplacianSolver(graph: graph, tolerance: tolerance, maxIterations: maxIterations)
            .solveChannels(&out)
        return RecoveryOutcome(video: out, report: report)
    }

    /// Fills, in every channel, the samples whose flag in `known` (frames × height × width) is
    /// false by linear interpolation along time between the nearest known frames of the same
    /// pixel, or the nearest known value when only one side has one. Known samples are not
    /// touched.
    /// - Returns: the in-frame indices `y·width + x` of pixels with no known frame (left as they
    ///   were).
    static func interpolateAlongTime(_ video: inout Video, known: [Bool]) -> [Int] {
        let frames = video.frames
        let plane = video.planeCount
        let volume = frames * plane
        precondition(known.count == volume, "known flags: \(known.count) for \(frames)×\(plane)")
        var never: [Int] = []
        video.samples.withUnsafeMutableBufferPointer { samples in
            for i in 0..<plane {
                var previous = -1  // last known frame of pixel i before t
                var t = 0
                while t < frames {
                    if known[t * plane + i] {
                        previous = t
                        t += 1
                        continue
                    }
                    // A run of unknown frames t..<next.
                    var next = t
                    while next < frames && !known[next * plane + i] { next += 1 }
                    if previous < 0 && next == frames {
                        never.append(i)
                        break
                    }
                    for c in 0..<video.channels {
                        let base = c * volume + i
                        for u in t..<next {
                            let value: Float
                            if previous < 0 {
                                value = samples[base + next * plane]
                            } else if next == frames {
                                value = samples[base + previous * plane]
                            } else {
                                let v0 = Double(samples[base + previous * plane])
                                let v1 = Double(samples[base + next * plane])
                                value = Float(v0 + (v1 - v0) * Double(u - previous) / Double(next - previous))
                            }
                            samples[base + u * plane] = value
                        }
                    }
                    t = next
                }
            }
        }
        return never
    }
}
