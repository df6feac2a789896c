import ArgumentParser
import STGConvNet

/// Which network to learn: a built-in preset or a JSON spec.
struct NetworkOptions: ParsableArguments {
    @Option(help: "Built-in network: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: Preset?

    @Option(help: "A network spec in JSON (see docs/network-spec.md); instead of --preset.")
    var spec: String?

    func validate() throws {
        if preset != nil && spec != nil { throw ValidationError("give --preset or --spec, not both") }
    }

    /// The spec to learn, defaulting to `fallback`.
    func resolve(default fallback: Preset) throws -> NetworkSpec {
        if let spec { return try NetworkSpec.load(path: spec) }
        return (preset ?? fallback).spec
    }
}

extension Preset: ExpressibleByArgument {}
