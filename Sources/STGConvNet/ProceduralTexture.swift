import Foundation
import STGMedia

/// Built-in dynamic textures, generated in the program, for the demo and for tests.
public enum ProceduralTexture {
    /// Water-like ripples: four wave trains in different directions and speeds over a blue-green
    /// base, with bright crests. Stationary in space and time, so it is the kind of pattern the
    /// model learns. Every wave makes a whole number of cycles across the frame and over the clip,
    /// so the clip is periodic in x, y and t: it loops, and a cyclic shift of it (`--shift`) is
    /// another view of the same texture without seams.
    public static func ripples(frames: Int, height: Int, width: Int) -> Video {
        var video = Video(channels: 3, frames: frames, height: height, width: width)
        // (cycles across x, cycles across y, cycles over the clip, amplitude, phase); at 48×48
        // the wavelengths are 6–11 pixels.
        let waves: [(Float, Float, Float, Float, Float)] = [
            (4, 2, 2, 34, 0.0), (-2, 4, 1, 26, 1.3), (1, -5, 2, 18, 2.1), (6, 5, 3, 10, 0.4),
        ]
        let base: [Float] = [40, 110, 150]
        let gain: [Float] = [0.6, 1.0, 1.1]
        let twoPi = 2 * Float.pi
        for t in 0..<frames {
            for y in 0..<height {
                for x in 0..<width {
                    var h: Float = 0
                    for (cx, cy, ct, amplitude, phase) in waves {
                        let angle = cx * Float(x) / Float(width) + cy * Float(y) / Float(height)
                            - ct * Float(t) / Float(frames)
                        h += amplitude * sinf(twoPi * angle + phase)
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
