import STGConvNet
import STGMedia
import XCTest

final class ProceduralTextureTests: XCTestCase {
    /// The ripples wrap around in x, y and t (what makes `--shift` seamless on them): the step
    /// from the last column, row or frame back to the first is no larger than a typical step
    /// between neighbours.
    func testRipplesArePeriodicInEveryAxis() {
        let video = ProceduralTexture.ripples(frames: 16, height: 48, width: 40)
        func meanStep(_ axis: Int, wrapOnly: Bool) -> Double {
            let sizes = [video.frames, video.height, video.width]
            var total = 0.0
            var count = 0
            for c in 0..<video.channels {
                for t in 0..<video.frames {
                    for y in 0..<video.height {
                        for x in 0..<video.width {
                            var next = [t, y, x]
                            let last = next[axis] == sizes[axis] - 1
                            if wrapOnly != last { continue }
                            next[axis] = (next[axis] + 1) % sizes[axis]
                            total += Double(abs(video[c, t, y, x] - video[c, next[0], next[1], next[2]]))
                            count += 1
                        }
                    }
                }
            }
            return total / Double(count)
        }
        for axis in 0..<3 {
            let inside = meanStep(axis, wrapOnly: false)
            let wrap = meanStep(axis, wrapOnly: true)
            XCTAssertGreaterThan(inside, 1, "axis \(axis): the texture moves")
            XCTAssertLessThan(wrap, 1.2 * inside, "axis \(axis): wrap-around step \(wrap) vs neighbour step \(inside)")
        }
    }
}
