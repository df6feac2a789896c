import ArgumentParser

/// `stgconvnet bench`: speed of the convolution kernels and of full learning iterations.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of every convolution layer and of full learning iterations.")

    func run() throws {
        throw ValidationError("bench is being built: see the speed issue")
    }
}
