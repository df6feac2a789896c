import ArgumentParser
import STGMedia

/// Where and how results are written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output folder (created if needed).")
    var out: String?

    @Option(help: "How synthesized samples become pixels: clip (to 0–255, honest) or stretch (per-frame min–max).")
    var display: DisplayMapping = .clip

    @Flag(help: "Dither GIFs (Floyd–Steinberg).")
    var dither = false
}

extension DisplayMapping: ExpressibleByArgument {}
