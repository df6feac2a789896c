import Foundation
import STGMedia

/// Built-in dynamic textures, generated in the program, for the demo and for tests.
public enum ProceduralTexture {
    /// Water-like ripples: several wave trains in different directions and speeds over a blue-green
    /// base, with slowly drifting brightness. Stationary in space and time, so it is the kind of
    /// pattern the model learns; each frame moves the crests by about a pixel.
    public static func ripples(frames: Int, height: Int, width: Int, seed: UInt64 = 7) -> Video {
        var video = Video(channels: 3, frames: frames, height: height, width: width)
        // (kx, ky, angular speed, amplitude, phase): wavelengths of 6–16 pixels.
        let waves: [(Float, Float, Float, Float, Float)] = [
            (0.55, 0.20, 0.70, 34, 0.0), (-0.25, 0.48, 0.55, 26, 1.3), (0.12, -0.62, 0.85, 18, 2.1),
            (0.80, 0.65, 1.10, 10, 0.4),
        ]
        let base: [Float] = [40, 110, 150]
        let gain: [Float] = [0.6, 1.0, 1.1]
        for t in 0..<frames {
            for y in 0..<height {
                for x in 0..<width {
                    var h: Float = 0
                    for (kx, ky, speed, amplitude, phase) in waves {
                        h += amplitude * sinf(kx * Float(x) + ky * Float(y) - speed * Float(t) + phase)
                    }
                    // Bright crests: a soft non-linearity, like light on water.
                    let crest = max(h, 0) * max(h, 0) / 60
                    for c in 0..<3 {
                        video[c, t, y, x] = min(max(base[c] + gain[c] * h * 0.8 + crest, 0), 255)
                    }
                }
            }
        }
        video.frameRate = 12
        return video
    }
}
