import Foundation

/// A folder holding one video as still frames: PNG files or JPEG files, one per frame.
///
/// Frames are the folder's visible files sorted by name, with runs of digits compared by value
/// (`frame2.png` before `frame10.png`; `000.png`…`069.png` sort the same either way). Hidden files
/// (names starting with ".") are ignored. Any other file or a subfolder is an error naming it, as is
/// mixing PNG and JPEG, an empty folder, a file whose bytes are not what its extension says, and
/// frames of different sizes.
struct FrameFolder {
    enum Kind: String { case png = "PNG", jpeg = "JPEG" }

    /// The folder.
    let path: String
    let kind: Kind
    /// Full paths of the frames, in order.
    let files: [String]

    /// Lists and checks the folder's file names (contents are checked by `headers`).
    static func open(_ path: String) throws -> FrameFolder {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw MediaError(path, "cannot list the folder (\(error.localizedDescription))")
        }
        let visible = names.filter { !$0.hasPrefix(".") }
            .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
        if visible.isEmpty { throw MediaError(path, "folder is empty: expected PNG or JPEG frames") }
        var kinds: [Kind: [String]] = [:]
        var others: [String] = []
        for name in visible {
            if let kind = kind(ofName: name), !isFolder("\(path)/\(name)") {
                kinds[kind, default: []].append(name)
            } else {
                others.append(name)
            }
        }
        let isVideo = { (name: String) in
            VideoInput.videoExtensions.contains((name as NSString).pathExtension.lowercased()) || isFolder("\(path)/\(name)")
        }
        if kinds.isEmpty && others.allSatisfy(isVideo) {
            throw MediaError(path, "folder holds videos, not frames (\(others.prefix(3).joined(separator: ", "))\(others.count > 3 ? ", …" : "")); load them as several videos")
        }
        if !others.isEmpty {
            let shown = others.prefix(5).joined(separator: ", ") + (others.count > 5 ? ", … (\(others.count) in all)" : "")
            throw MediaError(path, "frame folder holds files that are not PNG or JPEG frames: \(shown)")
        }
        if kinds.count > 1 {
            throw MediaError(path, "frame folder mixes PNG (\(kinds[.png]!.count)) and JPEG (\(kinds[.jpeg]!.count)) frames; use one format")
        }
        let (kind, frameNames) = kinds.first!
        return FrameFolder(path: path, kind: kind, files: frameNames.map { "\(path)/\($0)" })
    }

    /// PNG or JPEG by file extension (any letter case); nil for anything else.
    static func kind(ofName name: String) -> Kind? {
        switch (name as NSString).pathExtension.lowercased() {
        case "png": .png
        case "jpg", "jpeg": .jpeg
        default: nil
        }
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Reads the size and channels of `indices` frames (all by default) from their headers and
    /// checks they agree; returns the common size and the largest channel count (1 or 3).
    func checkedGeometry(of indices: Range<Int>? = nil, contents: [Int: [UInt8]] = [:]) throws -> (size: FrameSize, channels: Int) {
        var first: (file: String, size: FrameSize)?
        var channels = 1
        for i in indices ?? files.indices {
            let file = files[i]
            let bytes = try contents[i] ?? FrameFileHeader.readPrefix(file, count: kind == .png ? 32 : 65536)
            let header = try kind == .png ? FrameFileHeader.png(bytes, path: file) : FrameFileHeader.jpeg(bytes, path: file)
            channels = max(channels, header.channels)
            if let first, first.size != header.size {
                throw MediaError(file, "frame is \(header.size) but the first frame \((first.file as NSString).lastPathComponent) is \(first.size)")
            }
            if first == nil { first = (file, header.size) }
        }
        return (first!.size, channels)
    }
}

/// Sizes and channel counts read from the first bytes of PNG and JPEG files, without decoding.
enum FrameFileHeader {
    /// Up to `count` bytes from the start of `path`.
    static func readPrefix(_ path: String, count: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw MediaError(path, "cannot open the file") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: count)) ?? nil
        return data.map { [UInt8]($0) } ?? []
    }

    /// The whole file.
    static func readAll(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw MediaError(path, "cannot read the file") }
        return [UInt8](data)
    }

    /// PNG signature and IHDR: size, and 1 channel for grey (with or without alpha) else 3.
    static func png(_ bytes: [UInt8], path: String) throws -> (size: FrameSize, channels: Int) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 26, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw MediaError(path, "is not a PNG file (no PNG signature and header)")
        }
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        guard width > 0, height > 0 else { throw MediaError(path, "PNG header gives an empty image \(width)x\(height)") }
        let colourType = bytes[25]
        return (FrameSize(width: width, height: height), colourType == 0 || colourType == 4 ? 1 : 3)
    }

    /// JPEG start-of-image and start-of-frame marker: size, and 1 channel for one component else 3.
    static func jpeg(_ bytes: [UInt8], path: String) throws -> (size: FrameSize, channels: Int) {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw MediaError(path, "is not a JPEG file (no start-of-image marker)")
        }
        var i = 2
        while i + 9 < bytes.count {
            guard bytes[i] == 0xFF else { break }
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width, components.
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                let height = Int(bytes[i + 5]) << 8 | Int(bytes[i + 6])
                let width = Int(bytes[i + 7]) << 8 | Int(bytes[i + 8])
                let components = Int(bytes[i + 9])
                guard width > 0, height > 0 else { break }
                return (FrameSize(width: width, height: height), components == 1 ? 1 : 3)
            }
            i += 2 + length
        }
        throw MediaError(path, "JPEG file has no readable frame header")
    }
}
