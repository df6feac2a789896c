/// A model, spec, checkpoint or training problem a user can act on, in words that say what to do.
public struct ModelError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
