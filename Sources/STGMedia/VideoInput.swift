import Foundation

/// The single input seam for videos: every command and library caller loads videos here.
///
/// `path` may be
/// - a folder of PNG frames (decoded natively; see `FrameFolder` for the naming and checks),
/// - a folder of JPEG frames (decoded by ffmpeg from the files piped to it),
/// - an animated `.gif` (decoded natively) or a single `.png` image (one frame),
/// - any file ffmpeg reads (.avi .mp4 .mov .webm .mkv, a single .jpg, …), probed first, then
///   streamed as raw rgb24 or gray frames through a pipe with no temporary files; frame-rate
///   resampling, start frame, frame count, crop and resize run inside ffmpeg while it decodes.
///
/// The request applies in the same order for every source: resample to `framesPerSecond` → skip
/// `startFrame` frames → keep `frames` frames → crop → resize to `size` → convert to `channels`.
/// Grey sources stay one channel unless the request says otherwise; colour becomes RGB.
public enum VideoInput {
    /// Loads one video as `request` asks.
    ///
    /// Throws a `MediaError` naming the file when the path is missing, the folder is empty or
    /// holds other files or frames of different sizes, a file's contents do not match its
    /// extension, the video has fewer frames than requested (both numbers given), the crop leaves
    /// the frame, or ffmpeg is missing or fails (quoting its last error line).
    public static func load(_ path: String, request: VideoRequest = VideoRequest()) throws -> Video {
        try request.validate(for: path)
        switch try SourceKind.of(path) {
        case .frameFolder(let folder) where folder.kind == .png:
            return try loadPNGFolder(folder, request: request)
        case .frameFolder(let folder):
            return try loadJPEGFolder(folder, request: request)
        case .gif:
            return try loadGIF(path, request: request)
        case .pngImage:
            // One still image: a one-frame video.
            _ = try frameRange(available: 1, request: request, path: path)
            let data = try FrameFileHeader.readAll(path)
            _ = try FrameFileHeader.png(data, path: path)
            let image = try PNG.decode(data, path: path)
            var rest = request
            rest.startFrame = 0
            rest.frames = nil
            return try finish(images: [image], naturalChannels: image.channels >= 3 ? 3 : 1, frameRate: nil,
                              request: rest, path: path)
        case .container:
            let ffmpeg = try FFmpeg.require(request.ffmpegPath, for: path)
            let info = try VideoProbe.probe(path, ffmpeg: ffmpeg)
            return try FFmpegDecoder.decode(path, info: info, request: request, ffmpeg: ffmpeg)
        }
    }

    /// Size, frame count, frame rate and channels of a video without decoding it (a GIF is
    /// decoded, since GIFs state no frame count). Containers are probed with ffprobe when
    /// present, else by parsing `ffmpeg -i`'s stream summary; their frame count is the
    /// container's index or duration × rate, which can be one off what decodes.
    public static func probe(_ path: String, ffmpegPath: String? = nil) throws -> VideoInfo {
        switch try SourceKind.of(path) {
        case .frameFolder(let folder):
            let (size, channels) = try folder.checkedGeometry()
            return VideoInfo(size: size, frameCount: folder.files.count, frameCountIsExact: true, frameRate: nil,
                             channels: channels, codec: folder.kind == .png ? "png" : "mjpeg")
        case .gif:
            let (frames, delays) = try GIF.decode(FrameFileHeader.readAll(path), path: path)
            guard let first = frames.first else { throw MediaError(path, "GIF has no frames") }
            return VideoInfo(size: FrameSize(width: first.width, height: first.height), frameCount: frames.count,
                             frameCountIsExact: true, frameRate: rate(fromDelays: delays),
                             channels: frames.allSatisfy(isGrey) ? 1 : 3, codec: "gif")
        case .pngImage:
            let header = try FrameFileHeader.png(FrameFileHeader.readPrefix(path, count: 32), path: path)
            return VideoInfo(size: header.size, frameCount: 1, frameCountIsExact: true, frameRate: nil,
                             channels: header.channels, codec: "png")
        case .container:
            let ffmpeg = try FFmpeg.require(ffmpegPath, for: path)
            return try VideoProbe.probe(path, ffmpeg: ffmpeg)
        }
    }

    // MARK: Sources

    /// What a path holds, judged from the file system and the extension (contents are checked
    /// when read).
    enum SourceKind {
        case frameFolder(FrameFolder)
        case gif
        case pngImage
        case container

        static func of(_ path: String) throws -> SourceKind {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw MediaError(path, "no such file or folder")
            }
            if isDirectory.boolValue { return .frameFolder(try FrameFolder.open(path)) }
            switch (path as NSString).pathExtension.lowercased() {
            case "gif": return .gif
            case "png": return .pngImage
            default: return .container
            }
        }
    }

    static func loadPNGFolder(_ folder: FrameFolder, request: VideoRequest) throws -> Video {
        if request.framesPerSecond != nil {
            throw MediaError(folder.path, "a folder of frames has no frame rate to resample from; drop the frame-rate option")
        }
        // Every header is checked (sizes must agree); only the requested frames are decoded.
        let (_, naturalChannels) = try folder.checkedGeometry()
        let range = try frameRange(available: folder.files.count, request: request, path: folder.path)
        let files = Array(folder.files[range])
        let images = try decodeConcurrently(files) { file in try PNG.decode(FrameFileHeader.readAll(file), path: file) }
        return try finish(images: images, naturalChannels: naturalChannels, frameRate: nil,
                          request: VideoRequest(startFrame: 0, frames: nil, size: request.size, crop: request.crop,
                                                channels: request.channels, resizeMethod: request.resizeMethod),
                          path: folder.path)
    }

    static func loadJPEGFolder(_ folder: FrameFolder, request: VideoRequest) throws -> Video {
        if request.framesPerSecond != nil {
            throw MediaError(folder.path, "a folder of frames has no frame rate to resample from; drop the frame-rate option")
        }
        let ffmpeg = try FFmpeg.require(request.ffmpegPath, for: folder.path)
        let range = try frameRange(available: folder.files.count, request: request, path: folder.path)
        var contents: [Int: [UInt8]] = [:]
        for i in range { contents[i] = try FrameFileHeader.readAll(folder.files[i]) }
        let (size, naturalChannels) = try folder.checkedGeometry(of: range, contents: contents)
        if let crop = request.crop { try checkCrop(crop, inside: size, path: folder.path) }
        return try FFmpegDecoder.decodeJPEG(range.map { contents[$0]! }, sourceSize: size,
                                            channels: request.channels ?? naturalChannels,
                                            request: request, ffmpeg: ffmpeg, path: folder.path)
    }

    static func loadGIF(_ path: String, request: VideoRequest) throws -> Video {
        let data = try FrameFileHeader.readAll(path)
        let signature = String(decoding: data.prefix(6), as: UTF8.self)
        guard signature == "GIF89a" || signature == "GIF87a" else {
            throw MediaError(path, "is not a GIF file (no GIF87a/GIF89a signature)")
        }
        var (frames, delays) = try GIF.decode(data, path: path)
        if frames.isEmpty { throw MediaError(path, "GIF has no frames") }
        var rate = rate(fromDelays: delays)
        if let fps = request.framesPerSecond {
            guard rate != nil else { throw MediaError(path, "GIF gives no frame delays, so it cannot be resampled to \(fps) fps") }
            let picks = resample(delays: delays, to: fps)
            frames = picks.map { frames[$0] }
            delays = picks.map { _ in 1 / fps }
            rate = fps
        }
        let range = try frameRange(available: frames.count, request: request, path: path)
        // GIF frames are decoded as RGB; a GIF whose frames are all grey loads as one channel.
        let grey = frames[range].allSatisfy(isGrey)
        var rest = request
        rest.startFrame = 0
        rest.frames = nil
        return try finish(images: Array(frames[range]), naturalChannels: grey ? 1 : 3, frameRate: rate,
                          request: rest, path: path)
    }

    // MARK: Shared steps for natively decoded frames

    /// True when every pixel of an RGB(A) image has R = G = B.
    static func isGrey(_ image: Image) -> Bool {
        if image.channels < 3 { return true }
        var i = 0
        while i < image.pixels.count {
            let r = image.pixels[i]
            if r != image.pixels[i + 1] || r != image.pixels[i + 2] { return false }
            i += image.channels
        }
        return true
    }

    /// Frames `start ..< start + frames` of `available`, or an error with both numbers.
    static func frameRange(available: Int, request: VideoRequest, path: String, noun: String = "video") throws -> Range<Int> {
        if available == 0 { throw MediaError(path, "\(noun) has no frames") }
        let count = request.frames ?? (available - request.startFrame)
        if count <= 0 || request.startFrame + count > available {
            let asked = request.frames.map { "\(request.startFrame + $0) frames (start \(request.startFrame) + \($0))" }
                ?? "frames from \(request.startFrame) on"
            throw MediaError(path, "needs \(asked) but the \(noun) has \(available)")
        }
        return request.startFrame..<request.startFrame + count
    }

    /// Crop, resize and channel conversion of already-selected frames.
    static func finish(images: [Image], naturalChannels: Int, frameRate: Double?, request: VideoRequest, path: String) throws -> Video {
        let size = FrameSize(width: images[0].width, height: images[0].height)
        if let crop = request.crop { try checkCrop(crop, inside: size, path: path) }
        var video = Video(images: images, channels: request.channels ?? naturalChannels, crop: request.crop, frameRate: frameRate)
        if let target = request.size, target != FrameSize(width: video.width, height: video.height) {
            video = Resize.video(video, width: target.width, height: target.height, method: request.resizeMethod)
        }
        return video
    }

    /// Throws unless `crop` lies inside a frame of `size`.
    static func checkCrop(_ crop: CropRect, inside size: FrameSize, path: String) throws {
        if crop.x < 0 || crop.y < 0 || crop.x + crop.width > size.width || crop.y + crop.height > size.height {
            throw MediaError(path, "crop \(crop.width)x\(crop.height) at (\(crop.x), \(crop.y)) leaves the \(size) frame")
        }
    }

    /// Frame rate from GIF delays (seconds): 1 / mean delay; nil when the delays are all zero.
    static func rate(fromDelays delays: [Double]) -> Double? {
        let total = delays.reduce(0, +)
        return total > 0 ? Double(delays.count) / total : nil
    }

    /// The source frame shown at each time k / fps, k = 0, 1, … while inside the video's duration.
    static func resample(delays: [Double], to fps: Double) -> [Int] {
        let mean = delays.reduce(0, +) / Double(delays.count)
        let durations = delays.map { $0 > 0 ? $0 : mean }
        var picks: [Int] = []
        var end = durations[0]
        var source = 0
        let total = durations.reduce(0, +)
        var k = 0
        while true {
            let time = Double(k) / fps
            if time >= total - 1e-9 { break }
            while time >= end - 1e-9 && source + 1 < durations.count {
                source += 1
                end += durations[source]
            }
            picks.append(source)
            k += 1
        }
        return picks
    }

    /// Runs `decode` for every file on all cores, keeping order; the first error wins.
    static func decodeConcurrently(_ files: [String], _ decode: @Sendable @escaping (String) throws -> Image) throws -> [Image] {
        let results = ResultSlots<Image>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, Result { try decode(files[i]) })
        }
        return try results.values()
    }
}
