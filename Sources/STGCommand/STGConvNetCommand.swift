import ArgumentParser

/// The `stgconvnet` command: learn a spatial-temporal generative ConvNet and synthesize videos.
@main
struct STGConvNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stgconvnet",
        abstract: "Learn a spatial-temporal generative ConvNet from videos and synthesize new ones.",
        discussion: """
            Start with `stgconvnet demo` (built-in data, a few minutes). Videos are folders of PNG \
            frames, animated GIFs, or any container ffmpeg reads.
            """,
        version: "0.1.0",
        subcommands: [
            TrainCommand.self, SampleCommand.self, RecoverCommand.self, InpaintCommand.self, DemoCommand.self,
            BenchCommand.self,
        ])
}
