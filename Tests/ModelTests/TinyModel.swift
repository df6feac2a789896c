import Foundation
import STGConvNet
import STGKernels
import STGMedia

/// A three-layer spec small enough for finite differences, with stride, asymmetric SAME padding,
/// a frame-spanning layer and several channels.
let tinySpec = NetworkSpec(name: "tiny", layers: [
    LayerSpec(filters: 4, kernel: [3, 3, 3], stride: [1, 2, 2], padding: .same),
    LayerSpec(filters: 3, kernel: [.size(2), .full, .full], stride: 1, padding: .explicit([1, 0, 0])),
    LayerSpec(filters: 2, kernel: [2, 1, 1], stride: 1, padding: .same),
])

/// A small moving pattern: a diagonal wave travelling one pixel per frame, on 0–255.
func movingWave(channels: Int = 3, frames: Int = 6, height: Int = 8, width: Int = 8, speed: Float = 1) -> Video {
    var video = Video(channels: channels, frames: frames, height: height, width: width)
    for c in 0..<channels {
        for t in 0..<frames {
            for y in 0..<height {
                for x in 0..<width {
                    let phase = 0.7 * Float(x + y) - speed * 0.7 * Float(t) + Float(c)
                    video[c, t, y, x] = 128 + 80 * sinf(phase)
                }
            }
        }
    }
    return video
}

