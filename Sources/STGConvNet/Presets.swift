import STGKernels

/// The built-in architectures of the paper.
public enum Preset: String, CaseIterable, Sendable {
    /// Stationary in space and time (fully convolutional), designed for 100×100.
    case st
    /// Stationary in time only: the second layer spans the whole frame (for 100×100).
    case fcs
    /// `fcs` for 224×224 frames.
    case fcsLarge = "fcs-large"
    /// `fcs` with 40 first-layer filters instead of 120: about three times as many iterations per
    /// minute (the default of `recover` and `inpaint`, where a longer-trained model recovers better).
    case fcsSmall = "fcs-small"
    /// Non-stationary in space and time (several videos of an action): the top layer spans the
    /// whole remaining space-time volume.
    case action

    /// Frame sizes the preset was designed for (it accepts any size its layers fit).
    public var designedFor: String {
        switch self {
        case .st, .fcs, .fcsSmall, .action: return "100x100"
        case .fcsLarge: return "224x224"
        }
    }

    public var spec: NetworkSpec {
        switch self {
        case .st:
            return NetworkSpec(name: rawValue, layers: [
                LayerSpec(filters: 120, kernel: 15, stride: 7, padding: .same),
                LayerSpec(filters: 40, kernel: 7, stride: 3, padding: .same),
                LayerSpec(filters: 20, kernel: [2, 3, 3], stride: [1, 2, 2], padding: .same),
            ])
        case .fcs:
            return NetworkSpec(name: rawValue, layers: [
                LayerSpec(filters: 120, kernel: 7, stride: 2, padding: .same),
                LayerSpec(filters: 30, kernel: [.size(5), .full, .full], stride: 2, padding: .explicit([2, 0, 0])),
                LayerSpec(filters: 5, kernel: [2, 1, 1], stride: [1, 2, 2], padding: .explicit([1, 0, 0])),
            ])
        case .fcsSmall:
            return NetworkSpec(name: rawValue, layers: [
                LayerSpec(filters: 40, kernel: 7, stride: 2, padding: .same),
                LayerSpec(filters: 30, kernel: [.size(5), .full, .full], stride: 2, padding: .explicit([2, 0, 0])),
                LayerSpec(filters: 5, kernel: [2, 1, 1], stride: [1, 2, 2], padding: .explicit([1, 0, 0])),
            ])
        case .fcsLarge:
            return NetworkSpec(name: rawValue, layers: [
                LayerSpec(filters: 120, kernel: 7, stride: 3, padding: .same),
                LayerSpec(filters: 30, kernel: [.size(4), .full, .full], stride: [2, 1, 1], padding: .explicit([2, 0, 0])),
                LayerSpec(filters: 5, kernel: [2, 1, 1], stride: 1, padding: .explicit([1, 0, 0])),
            ])
        case .action:
            return NetworkSpec(name: rawValue, layers: [
                LayerSpec(filters: 120, kernel: 7, stride: 2, padding: .same),
                LayerSpec(filters: 30, kernel: [.size(5), .full, .full], stride: 2, padding: .explicit([2, 0, 0])),
                LayerSpec(filters: 5, kernel: [.full, .full, .full], stride: 1, padding: .explicit([0, 0, 0])),
            ])
        }
    }
}
