import Foundation

/// Probing a container's first video stream through ffprobe, or through `ffmpeg -i` when there is
/// no ffprobe.
package enum VideoProbe {
    /// Size, frame count, frame rate and pixel format of the first video stream of `path`.
    static func probe(_ path: String, ffmpeg: String) throws -> VideoInfo {
        let info: VideoInfo
        if let ffprobe = FFmpeg.probeExecutable(besides: ffmpeg) {
            info = try probeWithFFprobe(path, ffprobe: ffprobe)
        } else {
            info = try probeWithFFmpeg(path, ffmpeg: ffmpeg)
        }
        if info.frameCount <= 0 { throw MediaError(path, "video has no frames") }
        return info
    }

    /// `ffprobe -of json`: stream width, height, nb_frames, rates, pixel format; format duration.
    package static func probeWithFFprobe(_ path: String, ffprobe: String) throws -> VideoInfo {
        let child = try ChildProcess(
            executable: ffprobe,
            arguments: ["-v", "error", "-select_streams", "v:0", "-of", "json",
                        "-show_entries",
                        "stream=codec_name,width,height,pix_fmt,nb_frames,r_frame_rate,avg_frame_rate,duration:format=duration",
                        "--", path],
            subject: path)
        let text = child.readAll()
        try child.finish()
        guard let json = try? JSONSerialization.jsonObject(with: Data(text)) as? [String: Any] else {
            throw MediaError(path, "ffprobe printed something that is not JSON")
        }
        guard let streams = json["streams"] as? [[String: Any]], let stream = streams.first else {
            throw MediaError(path, "has no video stream")
        }
        let format = json["format"] as? [String: Any] ?? [:]
        guard let width = stream["width"] as? Int, let height = stream["height"] as? Int, width > 0, height > 0 else {
            throw MediaError(path, "ffprobe gave no frame size for its video stream")
        }
        let rate = parseRate(stream["avg_frame_rate"] as? String) ?? parseRate(stream["r_frame_rate"] as? String)
        let pixelFormat = stream["pix_fmt"] as? String ?? ""
        let codec = stream["codec_name"] as? String ?? "unknown"
        if let stated = (stream["nb_frames"] as? String).flatMap(Int.init), stated > 0 {
            return VideoInfo(size: FrameSize(width: width, height: height), frameCount: stated, frameCountIsExact: false,
                             frameRate: rate, channels: channels(of: pixelFormat), codec: codec)
        }
        let duration = (stream["duration"] as? String).flatMap(Double.init)
            ?? (format["duration"] as? String).flatMap(Double.init)
        let estimate = (duration != nil && rate != nil) ? Int((duration! * rate!).rounded()) : 0
        // Single images (a lone PNG or JPEG read by ffmpeg) have no duration: one frame.
        let count = estimate > 0 ? estimate : (duration == nil ? 1 : 0)
        return VideoInfo(size: FrameSize(width: width, height: height), frameCount: count, frameCountIsExact: false,
                         frameRate: rate, channels: channels(of: pixelFormat), codec: codec)
    }

    /// Parses the stream summary `ffmpeg -i` prints to standard error, for systems without ffprobe:
    /// `Duration: 00:00:03.97, …` and `Stream #0:0…: Video: h264 (Main) …, yuv420p(tv, …), 1280x720 …, 29.97 fps, …`.
    package static func probeWithFFmpeg(_ path: String, ffmpeg: String) throws -> VideoInfo {
        let child = try ChildProcess(executable: ffmpeg, arguments: ["-hide_banner", "-nostdin", "-i", path], subject: path)
        _ = child.readAll()
        // Without an output file ffmpeg always exits with status 1; the summary is what we want.
        try? child.finish()
        let text = child.errorOutput
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Stream #") && $0.contains(": Video: ") }) else {
            let last = child.lastErrorLine
            throw MediaError(path, "ffmpeg finds no video stream" + (last.isEmpty ? "" : ": \"\(last)\""))
        }
        let summary = String(line[line.range(of: ": Video: ")!.upperBound...])
        let parts = summary.components(separatedBy: ", ")
        let codec = String(parts[0].prefix(while: { $0 != " " }))
        let pixelFormat = parts.count > 1 ? String(parts[1].prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })) : ""
        var size: FrameSize?
        var rate: Double?
        for part in parts.dropFirst() {
            let words = part.split(separator: " ")
            if size == nil, let first = words.first {
                let wh = first.split(separator: "x")
                if wh.count == 2, let w = Int(wh[0]), let h = Int(wh[1]), w > 0, h > 0 { size = FrameSize(width: w, height: h) }
            }
            if words.count == 2, words[1] == "fps" { rate = Double(words[0]) }
        }
        guard let size else { throw MediaError(path, "cannot find the frame size in ffmpeg's stream summary \"\(line)\"") }
        var duration: Double?
        if let durationLine = text.split(separator: "\n").first(where: { $0.contains("Duration: ") }),
           let start = durationLine.range(of: "Duration: ") {
            let clock = durationLine[start.upperBound...].prefix(while: { $0 != "," }).split(separator: ":")
            if clock.count == 3, let h = Double(clock[0]), let m = Double(clock[1]), let s = Double(clock[2]) {
                duration = h * 3600 + m * 60 + s
            }
        }
        let estimate = (duration != nil && rate != nil) ? Int((duration! * rate!).rounded()) : 1
        return VideoInfo(size: size, frameCount: estimate, frameCountIsExact: false, frameRate: rate,
                         channels: channels(of: pixelFormat), codec: codec)
    }

    /// "30000/1001" → 29.97; "0/0" and garbage → nil.
    static func parseRate(_ text: String?) -> Double? {
        guard let text else { return nil }
        let parts = text.split(separator: "/")
        if parts.count == 2, let n = Double(parts[0]), let d = Double(parts[1]), n > 0, d > 0 { return n / d }
        if parts.count == 1, let v = Double(parts[0]), v > 0 { return v }
        return nil
    }

    /// 1 for grey pixel formats (gray, gray16le, ya8, monob, …), else 3.
    static func channels(of pixelFormat: String) -> Int {
        pixelFormat.hasPrefix("gray") || pixelFormat.hasPrefix("ya") || pixelFormat.hasPrefix("mono") ? 1 : 3
    }
}
