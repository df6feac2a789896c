import ArgumentParser

/// `stgconvnet recover`: recover occluded pixels or missing frames while learning.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Recover occluded pixels or missing frames of a video while learning its model.")

    func run() throws {
        throw ValidationError("recover is being built: see the recovery issue")
    }
}
