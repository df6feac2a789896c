import Foundation

/// Decoding through ffmpeg: frames arrive as raw rgb24 (or gray) bytes on a pipe, one frame after
/// another, with frame-rate resampling, start frame, frame count, crop and resize done by ffmpeg's
/// filters while it decodes. Nothing is written to disk.
enum FFmpegDecoder {
    /// The filter chain for `request` applied to frames of `sourceSize`, and the size it produces.
    ///
    /// Order: `fps` (resample) → `trim` (start frame, counted after resampling) → `crop` (with
    /// `exact=1`: without it ffmpeg rounds odd crops of yuv420p sources down to even sizes) →
    /// `scale` (the request's method; bilinear by default, as the shared data's derived frames
    /// were made) → `format`.
    static func filters(for request: VideoRequest, sourceSize: FrameSize, channels: Int) -> (chain: String, size: FrameSize) {
        var chain: [String] = []
        var size = sourceSize
        if let fps = request.framesPerSecond { chain.append("fps=\(fps)") }
        if request.startFrame > 0 { chain.append("trim=start_frame=\(request.startFrame)"); chain.append("setpts=PTS-STARTPTS") }
        if let crop = request.crop {
            chain.append("crop=\(crop.width):\(crop.height):\(crop.x):\(crop.y):exact=1")
            size = FrameSize(width: crop.width, height: crop.height)
        }
        if let target = request.size, target != size {
            let flags = switch request.resizeMethod {
            case .bilinear: "bilinear"
            case .area: "area"
            case .nearest: "neighbor"
            }
            chain.append("scale=\(target.width):\(target.height):flags=\(flags)")
            size = target
        }
        chain.append("format=\(channels == 1 ? "gray" : "rgb24")")
        return (chain.joined(separator: ","), size)
    }

    /// ffmpeg's name for a local file: `file:` keeps names with colons from reading as protocols.
    static func inputName(_ path: String) -> String {
        path.contains("://") ? path : "file:" + path
    }

    /// Decodes the video file `path` (already probed as `info`) as `request` asks.
    static func decode(_ path: String, info: VideoInfo, request: VideoRequest, ffmpeg: String) throws -> Video {
        let channels = request.channels ?? info.channels
        if let crop = request.crop { try VideoInput.checkCrop(crop, inside: info.size, path: path) }
        // A container's frame index can be one off what decodes, so only clear shortfalls fail early.
        if request.framesPerSecond == nil, let wanted = request.frames,
           request.startFrame + wanted > info.frameCount + 1 {
            throw MediaError(path, "needs \(request.startFrame + wanted) frames (start \(request.startFrame) + \(wanted)) but the video has \(info.frameCount)")
        }
        let (chain, size) = filters(for: request, sourceSize: info.size, channels: channels)
        var arguments = ["-nostdin", "-hide_banner", "-v", "error", "-i", inputName(path),
                         "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", chain, "-fps_mode", "passthrough"]
        if let wanted = request.frames { arguments += ["-frames:v", "\(wanted)"] }
        arguments += ["-f", "rawvideo", "-pix_fmt", channels == 1 ? "gray" : "rgb24", "-"]
        // Without a frame count, the probe's (scaled to the new rate) sizes the buffer.
        let rateRatio = request.framesPerSecond.map { fps in info.frameRate.map { fps / $0 } ?? 1 } ?? 1
        let estimate = max(0, Int((Double(info.frameCount) * rateRatio).rounded()) - request.startFrame)
        let child = try ChildProcess(executable: ffmpeg, arguments: arguments, subject: path)
        let video = try readFrames(child, size: size, channels: channels, expected: request.frames ?? estimate, path: path)
        return try finishing(video, info: info, request: request, path: path)
    }

    /// Decodes JPEG frames (whole files, in order) piped into ffmpeg's image2pipe demuxer.
    /// `request`'s frame selection has already been applied to `files`.
    static func decodeJPEG(_ files: [[UInt8]], sourceSize: FrameSize, channels: Int, request: VideoRequest,
                           ffmpeg: String, path: String) throws -> Video {
        var request = request
        request.startFrame = 0
        request.framesPerSecond = nil
        let (chain, size) = filters(for: request, sourceSize: sourceSize, channels: channels)
        let arguments = ["-nostdin", "-hide_banner", "-v", "error", "-f", "image2pipe", "-c:v", "mjpeg", "-i", "-",
                         "-vf", chain, "-fps_mode", "passthrough", "-f", "rawvideo",
                         "-pix_fmt", channels == 1 ? "gray" : "rgb24", "-"]
        let child = try ChildProcess(executable: ffmpeg, arguments: arguments, subject: path, withInput: true)
        child.feedInput(files)
        let video = try readFrames(child, size: size, channels: channels, expected: files.count, path: path)
        if video.frames != files.count {
            throw MediaError(path, "ffmpeg decoded \(video.frames) of \(files.count) JPEG frames")
        }
        return video
    }

    /// Reads raw frames (height × width × channels bytes each) until the pipe ends, into a planar
    /// video; always finishes or kills the child.
    ///
    /// The samples are allocated once for `expected` frames (a count or an estimate) and each
    /// frame is spread straight into place (frame t of channel c at (c × expected + t) × plane);
    /// frames past `expected` grow per-channel overflow planes; any mismatch is joined at the end.
    static func readFrames(_ child: ChildProcess, size: FrameSize, channels: Int, expected: Int?, path: String) throws -> Video {
        let plane = size.width * size.height
        var frame = [UInt8](repeating: 0, count: plane * channels)
        let capacity = expected ?? 0
        var samples = [Float](repeating: 0, count: channels * capacity * plane)
        var overflow = [[Float]](repeating: [], count: channels)  // frames past `capacity`
        var scratch = [Float](repeating: 0, count: plane)
        var count = 0
        while true {
            let n = child.read(into: &frame)
            if n == 0 { break }
            if n < frame.count {
                child.terminate()
                throw MediaError(path, "ffmpeg's output ended inside frame \(count) (\(n) of \(frame.count) bytes)")
            }
            for c in 0..<channels {
                if count < capacity {
                    let base = (c * capacity + count) * plane
                    samples.withUnsafeMutableBufferPointer { out in
                        deinterleave(frame, channel: c, of: channels, into: out, at: base)
                    }
                } else {
                    scratch.withUnsafeMutableBufferPointer { out in
                        deinterleave(frame, channel: c, of: channels, into: out, at: 0)
                    }
                    overflow[c].append(contentsOf: scratch)
                }
            }
            count += 1
        }
        try child.finish()
        if count == capacity {
            return Video(channels: channels, frames: count, height: size.height, width: size.width, samples: samples)
        }
        var joined: [Float] = []
        joined.reserveCapacity(channels * count * plane)
        for c in 0..<channels {
            let kept = min(count, capacity)
            joined += samples[c * capacity * plane..<(c * capacity + kept) * plane]
            joined += overflow[c]
        }
        return Video(channels: channels, frames: count, height: size.height, width: size.width, samples: joined)
    }

    /// Channel `channel` of interleaved bytes `frame` (… × `channels`) as Floats into
    /// `out[base ..< base + frame.count / channels]`.
    private static func deinterleave(_ frame: [UInt8], channel: Int, of channels: Int,
                                     into out: UnsafeMutableBufferPointer<Float>, at base: Int) {
        frame.withUnsafeBufferPointer { bytes in
            let plane = bytes.count / channels
            precondition(base + plane <= out.count, "frame plane outside the sample buffer")
            var source = channel
            for i in 0..<plane {
                out[base + i] = Float(bytes[source])
                source += channels
            }
        }
    }

    /// Checks the frame count and sets the frame rate.
    private static func finishing(_ decoded: Video, info: VideoInfo, request: VideoRequest, path: String) throws -> Video {
        var video = decoded
        video.frameRate = request.framesPerSecond ?? info.frameRate
        if video.frames == 0 {
            if request.startFrame > 0 {
                throw MediaError(path, "has no frames from frame \(request.startFrame) on (it has about \(info.frameCount))")
            }
            throw MediaError(path, "video has no frames")
        }
        if let wanted = request.frames, video.frames < wanted {
            let rate = request.framesPerSecond.map { " at \($0) fps" } ?? ""
            throw MediaError(path, "needs \(wanted) frames from frame \(request.startFrame)\(rate) but only \(video.frames) are there (video has \(request.startFrame + video.frames)\(rate))")
        }
        return video
    }
}
