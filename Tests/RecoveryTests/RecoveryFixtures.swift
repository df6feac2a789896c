import STGMedia
import STGRecovery
import XCTest

/// A video whose sample (c, t, y, x) is `value(c, t, y, x)`.
func makeVideo(channels: Int, frames: Int, height: Int, width: Int, _ value: (Int, Int, Int, Int) -> Float) -> Video {
    var video = Video(channels: channels, frames: frames, height: height, width: width)
    for c in 0..<channels {
        for t in 0..<frames {
            for y in 0..<height {
                for x in 0..<width { video[c, t, y, x] = value(c, t, y, x) }
            }
        }
    }
    return video
}

/// A mask occluding (t, y, x) where `occluded(t, y, x)`.
func makeMask(frames: Int, height: Int, width: Int, _ occluded: (Int, Int, Int) -> Bool) -> VideoMask {
    var mask = VideoMask(frames: frames, height: height, width: width)
    for t in 0..<frames {
        for y in 0..<height {
            for x in 0..<width { mask[t, y, x] = occluded(t, y, x) }
        }
    }
    return mask
}

/// A reproducible pseudo-random video with values in 0–255 (a small LCG: tests need no RNG API).
func noiseVideo(channels: Int, frames: Int, height: Int, width: Int, seed: UInt64) -> Video {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return makeVideo(channels: channels, frames: frames, height: height, width: width) { _, _, _, _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24) * 255
    }
}

/// Asserts that every visible sample of `recovered` has the bit pattern of `original`, and that
/// every occluded sample is finite.
func assertVisibleIdentical(
    _ recovered: Video, _ original: Video, mask: VideoMask, _ label: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(recovered.samples.count, original.samples.count, label, file: file, line: line)
    let volume = mask.occluded.count
    var changed: [Int] = []
    var nonFinite: [Int] = []
    for c in 0..<original.channels {
        for i in 0..<volume {
            let j = c * volume + i
            if mask.occluded[i] {
                if !recovered.samples[j].isFinite { nonFinite.append(j) }
            } else if recovered.samples[j].bitPattern != original.samples[j].bitPattern {
                changed.append(j)
            }
        }
    }
    XCTAssertTrue(changed.isEmpty, "\(label): \(changed.count) visible samples changed, first \(changed.prefix(5))",
                  file: file, line: line)
    XCTAssertTrue(nonFinite.isEmpty, "\(label): \(nonFinite.count) occluded samples not finite", file: file, line: line)
}

/// Largest |a − b| over the occluded samples, with the first sample where it occurs.
func maxOccludedError(_ recovered: Video, _ truth: Video, mask: VideoMask) -> (error: Float, index: Int) {
    let volume = mask.occluded.count
    var worst: (Float, Int) = (0, -1)
    for c in 0..<truth.channels {
        for i in 0..<volume where mask.occluded[i] {
            let e = abs(recovered.samples[c * volume + i] - truth.samples[c * volume + i])
            if !(e <= worst.0) { worst = (e, c * volume + i) }
        }
    }
    return worst
}

let allBaselines: [any RecoveryMethod] = Baseline.allCases.map(\.method)
