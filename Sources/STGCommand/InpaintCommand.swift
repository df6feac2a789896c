import ArgumentParser

/// `stgconvnet inpaint`: remove a masked object by filling it with the learned background.
struct InpaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inpaint",
        abstract: "Remove a masked moving object by filling its mask with the learned dynamic background.")

    func run() throws {
        throw ValidationError("inpaint is being built: see the recovery issue")
    }
}
