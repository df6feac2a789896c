import Foundation

/// Loading occlusion masks (which pixels are missing, or to be removed by inpainting).
///
/// Sources:
/// - a MATLAB level-5 MAT-file (`.mat`) with a variable `masks` (or its only array variable),
///   H × W × T or H × W × T × C, column-major, nonzero = occluded (channel 0 is read);
/// - a PNG frame folder, a single PNG or a GIF: any non-black pixel is occluded;
/// - anything else `VideoInput` reads (mask videos such as .mp4, JPEG folders): lossily coded,
///   so a pixel is occluded when its grey value is at least 128.
public enum MaskInput {
    /// Loads a mask for a video of `size`: frames `startFrame ..< startFrame + frames` of the mask
    /// (`frames` nil keeps all from `startFrame` on), so a mask stays aligned with a video loaded
    /// with the same start frame.
    ///
    /// A mask of another size is an error giving both sizes, unless `resize`, which resizes it
    /// with nearest-neighbour sampling. A mask that occludes nothing or everything is an error
    /// (almost always a wrong file or an inverted mask). Fewer frames than asked for is an error
    /// with both numbers.
    public static func load(_ path: String, frames: Int? = nil, size: FrameSize, resize: Bool = false,
                            startFrame: Int = 0, ffmpegPath: String? = nil) throws -> VideoMask {
        if let frames, frames <= 0 { throw MediaError(path, "mask frame count \(frames) is not positive") }
        if startFrame < 0 { throw MediaError(path, "mask start frame \(startFrame) is negative") }
        var mask: VideoMask
        if (path as NSString).pathExtension.lowercased() == "mat" {
            mask = try fromMATFile(path)
            let range = try VideoInput.frameRange(available: mask.frames,
                                                  request: VideoRequest(startFrame: startFrame, frames: frames), path: path,
                                                  noun: "mask")
            if range != 0..<mask.frames { mask = mask.frames(range) }
        } else {
            mask = try fromVideo(path, startFrame: startFrame, frames: frames, ffmpegPath: ffmpegPath)
        }
        if mask.width != size.width || mask.height != size.height {
            guard resize else {
                throw MediaError(path, "mask is \(mask.width)x\(mask.height) but the video is \(size); resize one of them (masks resize with nearest-neighbour sampling)")
            }
            mask = resized(mask, to: size)
        }
        let count = mask.occludedCount
        if count == 0 { throw MediaError(path, "mask occludes nothing (all \(mask.frames) frames are all zeros)") }
        if count == mask.occluded.count {
            throw MediaError(path, "mask occludes everything (all ones): nothing would be observed; is it inverted?")
        }
        return mask
    }

    /// The `masks` variable of a MAT-file (or its only array variable).
    static func fromMATFile(_ path: String) throws -> VideoMask {
        let file = try MATFile.read(FrameFileHeader.readAll(path), path: path)
        let arrays = file.variables.values.filter { $0.dimensions.count >= 3 && $0.count > 1 }
        guard let array = file.variables["masks"] ?? (arrays.count == 1 ? arrays.first : nil) else {
            let names = file.variables.keys.sorted().joined(separator: ", ")
            throw MediaError(path, "MAT-file has no variable `masks` (it has: \(names.isEmpty ? "nothing" : names))")
        }
        // (height, width, frames[, channels]) column-major; the published masks repeat the flags
        // in every channel, so channel 0 is read.
        return try array.videoMask(channel: 0, path: path)
    }

    /// A mask video or frames: non-black for lossless sources, grey ≥ 128 for lossy ones.
    static func fromVideo(_ path: String, startFrame: Int, frames: Int?, ffmpegPath: String?) throws -> VideoMask {
        let lossless: Bool
        switch try VideoInput.SourceKind.of(path) {
        case .gif, .pngImage: lossless = true
        case .frameFolder(let folder): lossless = folder.kind == .png
        case .container: lossless = false
        }
        var request = VideoRequest(startFrame: startFrame, frames: frames)
        request.ffmpegPath = ffmpegPath
        if !lossless { request.channels = 1 }
        let video = try VideoInput.load(path, request: request)
        var mask = VideoMask(frames: video.frames, height: video.height, width: video.width)
        let block = video.frames * video.planeCount
        for c in 0..<video.channels {
            for i in 0..<block {
                let value = video.samples[c * block + i]
                if lossless ? value > 0 : value >= 128 { mask.occluded[i] = true }
            }
        }
        return mask
    }

    /// `mask` resized with nearest-neighbour sampling.
    static func resized(_ mask: VideoMask, to size: FrameSize) -> VideoMask {
        Resize.mask(mask, width: size.width, height: size.height)
    }
}

extension VideoMask {
    /// Frames `range` as a new mask.
    public func frames(_ range: Range<Int>) -> VideoMask {
        precondition(range.lowerBound >= 0 && range.upperBound <= frames, "frames \(range) outside 0..<\(frames)")
        let plane = height * width
        return VideoMask(frames: range.count, height: height, width: width,
                         occluded: Array(occluded[range.lowerBound * plane..<range.upperBound * plane]))
    }
}
