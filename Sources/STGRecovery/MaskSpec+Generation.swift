import STGMedia
import STGTensor

extension MaskSpec {
    /// Generates the mask for a video of `frames` frames of `width`×`height` pixels.
    ///
    /// Reproducible: the same spec, size and seed give the same mask on every machine (one
    /// `Xoshiro256` stream, consumed in frame order). Block sizes larger than the frame are
    /// clamped to the frame; region rectangles are round(height·√F) × round(width·√F), at least
    /// 1×1. Layout of the result: frames × height × width, `true` = occluded.
    public func mask(frames: Int, height: Int, width: Int, seed: UInt64) -> VideoMask {
        precondition(frames >= 0 && height > 0 && width > 0, "invalid mask size \(frames)×\(height)×\(width)")
        var mask = VideoMask(frames: frames, height: height, width: width)
        var rng = Xoshiro256(seed: seed)
        let plane = height * width
        switch self {
        case .pixels(let p):
            for i in 0..<mask.occluded.count where rng.nextUnitDouble() < p {
                mask.occluded[i] = true
            }

        case .blocks(let p, let requestedSize):
            let sh = min(requestedSize, height)
            let sw = min(requestedSize, width)
            let target = Int((p * Double(plane)).rounded())
            for t in 0..<frames {
                var covered = 0
                // Blocks lie wholly inside the frame; the last one may overshoot the target by
                // fewer than S² pixels.
                while covered < target {
                    let y0 = rng.nextInt(below: height - sh + 1)
                    let x0 = rng.nextInt(below: width - sw + 1)
                    for y in y0..<y0 + sh {
                        for x in x0..<x0 + sw where !mask[t, y, x] {
                            mask[t, y, x] = true
                            covered += 1
                        }
                    }
                }
            }

        case .region(let f, let moving):
            let side = f.squareRoot()
            let rh = min(height, max(1, Int((Double(height) * side).rounded())))
            let rw = min(width, max(1, Int((Double(width) * side).rounded())))
            let roomY = height - rh
            let roomX = width - rw
            var start = (y: rng.nextInt(below: roomY + 1), x: rng.nextInt(below: roomX + 1))
            var end = start
            if moving {
                // Left quarter of the free range to the right quarter (or back), any rows:
                // the rectangle crosses the frame whenever there is room.
                start.x = rng.nextInt(below: roomX / 4 + 1)
                end = (y: rng.nextInt(below: roomY + 1), x: roomX - rng.nextInt(below: roomX / 4 + 1))
                if rng.next() & 1 == 1 { swap(&start.x, &end.x) }
            }
            for t in 0..<frames {
                let s = frames > 1 ? Double(t) / Double(frames - 1) : 0
                let y0 = Int((Double(start.y) + Double(end.y - start.y) * s).rounded())
                let x0 = Int((Double(start.x) + Double(end.x - start.x) * s).rounded())
                for y in y0..<y0 + rh {
                    for x in x0..<x0 + rw { mask[t, y, x] = true }
                }
            }

        case .frames(let p):
            let count = Int((p * Double(frames)).rounded())
            var order = Array(0..<frames)
            // Fisher–Yates with the package's generator (Array.shuffle's algorithm may change).
            for i in stride(from: frames - 1, to: 0, by: -1) {
                order.swapAt(i, rng.nextInt(below: i + 1))
            }
            for t in order.prefix(count) { mask.setFrame(t, occluded: true) }

        case .middleFrames:
            for t in frames / 3..<(2 * frames) / 3 { mask.setFrame(t, occluded: true) }
        }
        return mask
    }

    /// Generates the mask for `video`'s frame count and size.
    public func mask(for video: Video, seed: UInt64) -> VideoMask {
        mask(frames: video.frames, height: video.height, width: video.width, seed: seed)
    }
}

extension VideoMask {
    /// Sets every pixel of frame `t`.
    mutating func setFrame(_ t: Int, occluded value: Bool) {
        let plane = height * width
        for i in t * plane..<(t + 1) * plane { occluded[i] = value }
    }
}

extension Xoshiro256 {
    /// A uniform Double in [0, 1) from the top 53 bits.
    mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform integer in 0..<n (multiply-high; bias below 2⁻⁴⁰ for the sizes used here).
    mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs a positive bound, got \(n)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }
}
