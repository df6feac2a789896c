/// A file or process that could not be read or written, with the path and what is wrong.
public struct MediaError: Error, CustomStringConvertible, Equatable {
    /// The file, folder or executable concerned.
    public let path: String
    /// What is wrong, in words a user can act on.
    public let problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
