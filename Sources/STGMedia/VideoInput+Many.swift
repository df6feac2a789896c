import Foundation

extension VideoInput {
    /// File extensions taken as videos when a folder of videos is listed.
    public static let videoExtensions: Set<String> = [
        "gif", "mp4", "m4v", "mov", "avi", "webm", "mkv", "mpg", "mpeg", "wmv", "flv", "ogv", "3gp",
    ]

    /// Loads several videos with one request, for training on many examples.
    ///
    /// Each of `paths` may be a video file, a frame folder, a folder of videos (its video files
    /// and frame subfolders, sorted by name), or a shell-style pattern (`dir/*.mp4`) expanded here.
    /// All videos get the same channel count (colour when any is colour, unless the request sets
    /// it). Videos of different sizes need `request.size` (each is resized to it while decoding);
    /// without it the error lists every video's size.
    public static func loadMany(_ paths: [String], request: VideoRequest = VideoRequest()) throws -> [Video] {
        let files = try expandPaths(paths)
        var request = request
        try request.validate(for: files.first ?? "videos")
        let infos = try files.map { try probe($0, ffmpegPath: request.ffmpegPath) }
        if request.size == nil && request.crop == nil {
            let sizes = Set(infos.map(\.size))
            if sizes.count > 1 {
                let listing = zip(files, infos).map { "\($0.0) \($0.1.size)" }.joined(separator: ", ")
                throw MediaError(files[0], "videos differ in size (\(listing)); choose a common size to resize them to")
            }
        }
        if request.channels == nil { request.channels = infos.map(\.channels).max() }
        return try files.map { try load($0, request: request) }
    }

    /// The videos `paths` name, in order: patterns expanded, folders of videos listed, frame
    /// folders and files kept. Throws when a path or pattern matches nothing, or a folder holds
    /// neither frames nor videos.
    public static func expandPaths(_ paths: [String]) throws -> [String] {
        if paths.isEmpty { throw MediaError("videos", "no video paths given") }
        var videos: [String] = []
        for path in paths {
            let matches: [String]
            if PathPattern.isPattern(path) && !FileManager.default.fileExists(atPath: path) {
                matches = PathPattern.expand(path)
                if matches.isEmpty { throw MediaError(path, "no files match this pattern") }
            } else {
                matches = [path]
            }
            for match in matches {
                videos += try videosIn(match)
            }
        }
        return videos
    }

    /// A file or frame folder → itself; a folder of videos → its videos and frame subfolders.
    static func videosIn(_ path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { throw MediaError(path, "no such file or folder") }
        guard FrameFolder.isFolder(path) else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let visible = names.filter { !$0.hasPrefix(".") }
            .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
        if visible.isEmpty { throw MediaError(path, "folder is empty: expected frames or videos") }
        if visible.allSatisfy({ FrameFolder.kind(ofName: $0) != nil }) { return [path] }
        var found: [String] = []
        var others: [String] = []
        for name in visible {
            let full = "\(path)/\(name)"
            if FrameFolder.isFolder(full) || videoExtensions.contains((name as NSString).pathExtension.lowercased()) {
                found.append(full)
            } else {
                others.append(name)
            }
        }
        if !others.isEmpty {
            let shown = others.prefix(5).joined(separator: ", ") + (others.count > 5 ? ", …" : "")
            throw MediaError(path, "folder mixes videos with other files (\(shown)); it must hold frames only or videos only")
        }
        return found
    }
}
