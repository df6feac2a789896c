/// Videos laid out side by side in one video, for comparing inputs, results and baselines.
public enum Panel {
    /// The videos left to right with `separator`-pixel white columns between them and, when any
    /// caption is non-empty, a black caption row on top with each caption in white, centred over
    /// its video (cut to the characters that fit).
    ///
    /// - Videos of different heights are resized (bilinear, aspect kept) to the tallest height.
    /// - The result is always RGB; grey videos are repeated into the three channels.
    /// - The result is as long as the longest video; a shorter video holds its last frame.
    /// - The frame rate is the first video's that has one.
    /// - Caption glyphs are 5 × 7 pixels (`BitmapFont`) scaled by max(1, height / 128). A caption
    ///   wider than its video wraps at spaces (words longer than a line are split), up to
    ///   `maxCaptionLines` lines; the row is (2 + 9 × lines) × scale pixels high, lines being the
    ///   most any caption needs.
    ///
    /// - Parameters:
    ///   - videos: at least one.
    ///   - captions: one per video, or empty for no caption row.
    public static func sideBySide(_ videos: [Video], captions: [String] = [], separator: Int = 2) -> Video {
        precondition(!videos.isEmpty, "a panel needs at least one video")
        precondition(captions.isEmpty || captions.count == videos.count,
                     "a panel needs one caption per video (\(videos.count)), got \(captions.count)")
        precondition(separator >= 0, "separator width must not be negative")
        let height = videos.map(\.height).max()!
        let columns = videos.map { video -> Video in
            var column = video.withChannels(3)
            if column.height != height {
                let width = max(1, Int((Double(column.width) * Double(height) / Double(column.height)).rounded()))
                column = scaled(column, to: FrameSize(width: width, height: height))
            }
            return column
        }
        let frames = columns.map(\.frames).max()!
        let scale = max(1, height / 128)
        let lines = zip(captions, columns).map { caption, column in
            wrap(caption, charactersPerLine: (column.width + scale) / (BitmapFont.advance * scale))
        }
        let lineCount = lines.map(\.count).max() ?? 0
        let captionHeight = lineCount > 0 ? (2 + 9 * lineCount) * scale : 0
        let width = columns.map(\.width).reduce(0, +) + separator * (columns.count - 1)
        let totalHeight = captionHeight + height
        var panel = Video(channels: 3, frames: frames, height: totalHeight, width: width)
        panel.frameRate = videos.lazy.compactMap(\.frameRate).first
        let plane = panel.planeCount

        var left = 0
        for (index, column) in columns.enumerated() {
            // Separator: white over the full height (caption row included), every frame.
            if index > 0 {
                for c in 0..<3 {
                    for t in 0..<frames {
                        for y in 0..<totalHeight {
                            let row = (c * frames + t) * plane + y * width
                            for x in left - separator..<left { panel.samples[row + x] = 255 }
                        }
                    }
                }
            }
            // Frames: frame t of the panel shows frame min(t, last) of the column.
            for c in 0..<3 {
                for t in 0..<frames {
                    let source = min(t, column.frames - 1)
                    for y in 0..<height {
                        let from = ((c * column.frames + source) * height + y) * column.width
                        let to = (c * frames + t) * plane + (captionHeight + y) * width + left
                        panel.samples.replaceSubrange(to..<to + column.width, with: column.samples[from..<from + column.width])
                    }
                }
            }
            // Caption: each line centred in the column; lines 9 × scale apart from 2 × scale down.
            if index < lines.count {
                for (number, line) in lines[index].enumerated() {
                    let glyphs = BitmapFont.render(line, scale: scale)
                    let x0 = left + max(0, column.width - glyphs.width) / 2
                    let y0 = (2 + 9 * number) * scale
                    for y in 0..<glyphs.height {
                        for x in 0..<min(glyphs.width, column.width) where glyphs.ink[y * glyphs.width + x] {
                            for c in 0..<3 {
                                for t in 0..<frames { panel.samples[(c * frames + t) * plane + (y0 + y) * width + x0 + x] = 255 }
                            }
                        }
                    }
                }
            }
            left += column.width + separator
        }
        return panel
    }

    /// Most caption lines drawn; a longer caption's last line is cut.
    public static let maxCaptionLines = 4

    /// `text` in lines of at most `charactersPerLine` characters (at least 1): greedy at spaces,
    /// words longer than a line split; at most `maxCaptionLines` lines. Empty text gives no lines.
    package static func wrap(_ text: String, charactersPerLine: Int) -> [String] {
        let limit = max(1, charactersPerLine)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ").map(String.init) {
            var word = word
            if !current.isEmpty && current.count + 1 + word.count <= limit {
                current += " " + word
                continue
            }
            if !current.isEmpty { lines.append(current) }
            while word.count > limit {
                lines.append(String(word.prefix(limit)))
                word = String(word.dropFirst(limit))
            }
            current = word
        }
        if !current.isEmpty { lines.append(current) }
        return Array(lines.prefix(maxCaptionLines))
    }

    /// `video` resized to `size` (bilinear).
    static func scaled(_ video: Video, to size: FrameSize) -> Video {
        Resize.video(video, width: size.width, height: size.height, method: .bilinear)
    }
}
