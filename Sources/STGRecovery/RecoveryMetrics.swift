import Foundation
import STGMedia

/// Errors of a recovered video against the truth, over the occluded samples only.
///
/// Both videos: channels × frames × height × width on the 0–255 scale; `mask`: frames × height ×
/// width, `true` = occluded, applied to every channel. Sums in Double. With no occluded sample
/// both values are NaN (undefined); a perfect recovery has MAE 0 and PSNR +∞.
public struct RecoveryMetrics: Sendable, Equatable, CustomStringConvertible {
    /// Mean |recovered − truth| over occluded samples of all channels, grey levels.
    public let meanAbsoluteError: Double
    /// 10·log10(255² / MSE), MSE the mean squared error over occluded samples of all channels, dB.
    public let peakSignalToNoiseRatio: Double
    /// Number of samples compared (occluded pixels × channels).
    public let occludedSamples: Int

    public init(recovered: Video, truth: Video, mask: VideoMask) {
        precondition(
            recovered.channels == truth.channels && recovered.frames == truth.frames
                && recovered.height == truth.height && recovered.width == truth.width,
            "recovered \(recovered.channels)×\(recovered.frames)×\(recovered.height)×\(recovered.width) and truth "
                + "\(truth.channels)×\(truth.frames)×\(truth.height)×\(truth.width) differ in size")
        preconditionFits(mask, truth)
        let volume = mask.occluded.count
        var absolute = 0.0, squared = 0.0
        var count = 0
        for c in 0..<truth.channels {
            let base = c * volume
            for i in 0..<volume where mask.occluded[i] {
                let d = Double(recovered.samples[base + i]) - Double(truth.samples[base + i])
                absolute += abs(d)
                squared += d * d
                count += 1
            }
        }
        occludedSamples = count
        if count == 0 {
            meanAbsoluteError = .nan
            peakSignalToNoiseRatio = .nan
        } else {
            meanAbsoluteError = absolute / Double(count)
            let mse = squared / Double(count)
            peakSignalToNoiseRatio = mse == 0 ? .infinity : 10 * log10((255.0 * 255.0) / mse)
        }
    }

    /// Mean absolute error over occluded samples (grey levels).
    public static func meanAbsoluteError(recovered: Video, truth: Video, mask: VideoMask) -> Double {
        RecoveryMetrics(recovered: recovered, truth: truth, mask: mask).meanAbsoluteError
    }

    /// PSNR over occluded samples (dB, peak 255).
    public static func peakSignalToNoiseRatio(recovered: Video, truth: Video, mask: VideoMask) -> Double {
        RecoveryMetrics(recovered: recovered, truth: truth, mask: mask).peakSignalToNoiseRatio
    }

    public var description: String {
        "MAE \(meanAbsoluteError), PSNR \(peakSignalToNoiseRatio) dB over \(occludedSamples) samples"
    }
}
