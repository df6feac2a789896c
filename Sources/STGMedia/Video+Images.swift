extension Video {
    /// A video from equal-size 8-bit frames (as codecs decode them), optionally cropped.
    ///
    /// - Parameters:
    ///   - images: frames, each height × width × channels interleaved; 1–4 channels (alpha, the
    ///     second of two or the fourth of four, is dropped).
    ///   - channels: 1 or 3. Colour → grey uses BT.601 luma 0.299 R + 0.587 G + 0.114 B (what
    ///     ffmpeg's `gray` conversion gives); grey → colour repeats the grey value.
    ///   - crop: rectangle in the images' pixels, already checked to lie inside them.
    public init(images: [Image], channels: Int, crop: CropRect? = nil, frameRate: Double? = nil) {
        precondition(!images.isEmpty, "Video(images:) needs at least one image")
        precondition(channels == 1 || channels == 3, "video channels must be 1 or 3, not \(channels)")
        let first = images[0]
        let rect = crop ?? CropRect(x: 0, y: 0, width: first.width, height: first.height)
        precondition(rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= first.width && rect.y + rect.height <= first.height,
                     "crop outside the \(first.width)x\(first.height) frames")
        self.init(channels: channels, frames: images.count, height: rect.height, width: rect.width)
        self.frameRate = frameRate
        let plane = rect.width * rect.height
        for (t, image) in images.enumerated() {
            precondition(image.width == first.width && image.height == first.height,
                         "frame \(t) is \(image.width)x\(image.height), frame 0 is \(first.width)x\(first.height)")
            let stride = image.channels
            let colour = stride >= 3
            for y in 0..<rect.height {
                let row = ((rect.y + y) * image.width + rect.x) * stride
                let out = y * rect.width
                for x in 0..<rect.width {
                    let p = row + x * stride
                    if channels == 1 {
                        let grey: Float = colour
                            ? 0.299 * Float(image.pixels[p]) + 0.587 * Float(image.pixels[p + 1]) + 0.114 * Float(image.pixels[p + 2])
                            : Float(image.pixels[p])
                        samples[t * plane + out + x] = grey.rounded()
                    } else {
                        for c in 0..<3 {
                            samples[(c * images.count + t) * plane + out + x] = Float(image.pixels[p + (colour ? c : 0)])
                        }
                    }
                }
            }
        }
    }

    /// This video with `channels` channels (1 or 3): colour → grey by BT.601 luma (not rounded),
    /// grey → colour by repetition.
    public func withChannels(_ target: Int) -> Video {
        precondition(target == 1 || target == 3, "video channels must be 1 or 3, not \(target)")
        if target == channels { return self }
        let block = frames * planeCount
        if target == 3 {
            return Video(channels: 3, frames: frames, height: height, width: width,
                         samples: samples + samples + samples, frameRate: frameRate)
        }
        var grey = [Float](repeating: 0, count: block)
        for i in 0..<block {
            grey[i] = 0.299 * samples[i] + 0.587 * samples[block + i] + 0.114 * samples[2 * block + i]
        }
        return Video(channels: 1, frames: frames, height: height, width: width, samples: grey, frameRate: frameRate)
    }
}
