import ArgumentParser

@main
struct STGConvNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stgconvnet",
        abstract: "Learn a spatial-temporal generative ConvNet from videos and synthesize new ones.")
}
