import STGMedia
import STGTensor

extension Tensor {
    /// Stacks videos of one size into a tensor, subtracting `mean` from every sample.
    public init(videos: [Video], subtracting mean: Float) throws {
        guard let first = videos.first else { throw ModelError("no videos given") }
        for (i, video) in videos.enumerated()
        where (video.channels, video.frames, video.height, video.width) != (first.channels, first.frames, first.height, first.width) {
            throw ModelError(
                "video \(i + 1) is \(video.channels)×\(video.frames)×\(video.width)x\(video.height), "
                    + "video 1 is \(first.channels)×\(first.frames)×\(first.width)x\(first.height): resize them to one size")
        }
        let shape = TensorShape(
            videos: videos.count, channels: first.channels, frames: first.frames, height: first.height, width: first.width)
        var values = [Float]()
        values.reserveCapacity(shape.count)
        for video in videos { values.append(contentsOf: video.samples.map { $0 - mean }) }
        self.init(shape: shape, storage: values)
    }

    /// The videos of this tensor with `mean` added back (samples are not clipped here).
    public func videos(adding mean: Float, frameRate: Double? = nil) -> [Video] {
        let size = shape.videoCount
        return (0..<shape.videos).map { n in
            Video(
                channels: shape.channels, frames: shape.frames, height: shape.height, width: shape.width,
                samples: storage[n * size..<(n + 1) * size].map { $0 + mean }, frameRate: frameRate)
        }
    }

    /// The shape of one video of this tensor.
    public var videoShape: VideoShape {
        VideoShape(channels: shape.channels, frames: shape.frames, height: shape.height, width: shape.width)
    }
}

extension Video {
    /// This video's size as the model sees it.
    public var shape: VideoShape { VideoShape(channels: channels, frames: frames, height: height, width: width) }
}
