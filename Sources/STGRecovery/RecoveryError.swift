import STGMedia

/// A recovery input that cannot be used: a mask spec that does not parse, a method name that is
/// not known, a mask that does not fit its video. Names the offending text and the problem.
public struct RecoveryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The spec, name or file concerned, as the user gave it.
    public let subject: String
    /// What is wrong, in words a user can act on (including the accepted forms).
    public let problem: String

    public init(_ subject: String, _ problem: String) {
        self.subject = subject
        self.problem = problem
    }

    public var description: String { "\(subject): \(problem)" }

    /// Throws unless `mask` has the frame count and frame size of `video`.
    public static func check(_ mask: VideoMask, fits video: Video, maskName: String = "mask") throws(RecoveryError) {
        guard mask.frames == video.frames, mask.height == video.height, mask.width == video.width else {
            throw RecoveryError(
                maskName,
                "mask is \(mask.frames) frames of \(mask.width)x\(mask.height) but the video is "
                    + "\(video.frames) frames of \(video.width)x\(video.height)")
        }
    }
}

/// Stops with a message when `mask` and `video` differ in size (a programmer error: callers
/// validate with `RecoveryError.check(_:fits:)` first).
@inline(__always)
func preconditionFits(_ mask: VideoMask, _ video: Video, _ function: String = #function) {
    precondition(
        mask.frames == video.frames && mask.height == video.height && mask.width == video.width,
        "\(function): mask \(mask.frames)×\(mask.height)×\(mask.width) does not fit video "
            + "\(video.channels)×\(video.frames)×\(video.height)×\(video.width) (frames × height × width)")
}
