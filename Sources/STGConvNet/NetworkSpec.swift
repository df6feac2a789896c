import Foundation
import STGKernels

/// The size of a kernel along one axis: a number, or `full` (the whole input of that layer).
public enum KernelExtent: Hashable, Sendable, Codable, CustomStringConvertible {
    case size(Int)
    /// Spans the layer's whole input along this axis (a frame-spanning layer, when used for
    /// height and width).
    case full

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .size(value)
        } else if let word = try? container.decode(String.self), word == "full" {
            self = .full
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a kernel size is a positive integer or \"full\"")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .size(let value): try container.encode(value)
        case .full: try container.encode("full")
        }
    }

    public var description: String {
        switch self {
        case .size(let value): return "\(value)"
        case .full: return "full"
        }
    }
}

/// Padding of a layer in a spec: `"same"` or three symmetric sizes `[t, h, w]`.
public enum PaddingSpec: Hashable, Sendable, Codable {
    case same
    case explicit(Axis3)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let word = try? container.decode(String.self) {
            guard word.lowercased() == "same" else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "padding is \"same\" or [t, h, w], got \"\(word)\"")
            }
            self = .same
        } else {
            self = .explicit(try container.decode(Axis3.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .same: try container.encode("same")
        case .explicit(let pad): try container.encode(pad)
        }
    }

    var convPadding: Conv3dPadding {
        switch self {
        case .same: return .same
        case .explicit(let pad): return .explicit(pad)
        }
    }
}

/// One layer of the descriptor: conv3d + bias + ReLU.
public struct LayerSpec: Hashable, Sendable, Codable {
    /// Number of filters (output channels).
    public var filters: Int
    /// Kernel size (t, h, w); an axis may be `full`.
    public var kernel: [KernelExtent]
    /// Stride (t, h, w).
    public var stride: Axis3
    /// Zero padding.
    public var padding: PaddingSpec

    public init(filters: Int, kernel: [KernelExtent], stride: Axis3, padding: PaddingSpec) {
        self.filters = filters
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }

    enum CodingKeys: String, CodingKey { case filters, kernel, stride, padding }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        filters = try container.decode(Int.self, forKey: .filters)
        if let all = try? container.decode(KernelExtent.self, forKey: .kernel) {
            kernel = [all, all, all]
        } else {
            kernel = try container.decode([KernelExtent].self, forKey: .kernel)
        }
        stride = try container.decodeIfPresent(Axis3.self, forKey: .stride) ?? Axis3(1)
        padding = try container.decodeIfPresent(PaddingSpec.self, forKey: .padding) ?? .same
    }

    /// The layer with integer kernel sizes (no `full` axis).
    public init(filters: Int, kernel: Axis3, stride: Axis3, padding: PaddingSpec) {
        self.init(filters: filters, kernel: kernel.array.map { .size($0) }, stride: stride, padding: padding)
    }
}

/// The architecture of a descriptor network: its layers, bottom first.
///
/// Users write it as JSON, for example
/// `{"name": "mine", "layers": [{"filters": 120, "kernel": [7, 7, 7], "stride": 2, "padding": "same"}, …]}`.
public struct NetworkSpec: Hashable, Sendable, Codable {
    public var name: String
    public var layers: [LayerSpec]

    public init(name: String, layers: [LayerSpec]) {
        self.name = name
        self.layers = layers
    }

    /// Reads a spec from a JSON file, with errors that name the file.
    public static func load(path: String) throws -> NetworkSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError("\(path): cannot read the network spec (missing or unreadable file)")
        }
        do {
            let spec = try JSONDecoder().decode(NetworkSpec.self, from: data)
            try spec.validate()
            return spec
        } catch let error as ModelError {
            throw ModelError("\(path): \(error.description)")
        } catch {
            throw ModelError("\(path): not a valid network spec: \(error)")
        }
    }

    /// Checks the values that do not depend on the input size.
    public func validate() throws {
        guard !layers.isEmpty else { throw ModelError("the network has no layers") }
        for (i, layer) in layers.enumerated() {
            guard layer.filters > 0 else { throw ModelError("layer \(i + 1): filters must be positive") }
            guard layer.kernel.count == 3 else { throw ModelError("layer \(i + 1): kernel needs 3 sizes (t, h, w)") }
            for extent in layer.kernel {
                if case .size(let k) = extent, k <= 0 { throw ModelError("layer \(i + 1): kernel sizes must be positive") }
            }
            guard layer.stride.t > 0, layer.stride.h > 0, layer.stride.w > 0 else {
                throw ModelError("layer \(i + 1): strides must be positive")
            }
        }
    }

    /// The layer geometries for one input video of `channels` × `frames` × `height` × `width`.
    ///
    /// A `full` kernel axis takes that layer's input size along the axis, so a frame-spanning
    /// layer follows the frame size. Throws with the layer and the sizes when a layer cannot be
    /// applied (for example a kernel larger than its padded input).
    public func geometries(channels: Int, frames: Int, height: Int, width: Int) throws -> [Conv3dGeometry] {
        try validate()
        var result: [Conv3dGeometry] = []
        var inputChannels = channels
        var size = Axis3(t: frames, h: height, w: width)
        for (i, layer) in layers.enumerated() {
            var kernel = Axis3(0)
            for axis in 0..<3 {
                switch layer.kernel[axis] {
                case .size(let k): kernel[axis] = k
                case .full: kernel[axis] = size[axis]
                }
            }
            do {
                let geometry = try Conv3dGeometry(
                    inputChannels: inputChannels, outputChannels: layer.filters, input: size,
                    kernel: kernel, stride: layer.stride, padding: layer.padding.convPadding)
                result.append(geometry)
                inputChannels = layer.filters
                size = geometry.output
            } catch let error as Conv3dGeometryError {
                throw ModelError(
                    "network '\(name)' cannot take \(frames) frames of \(width)x\(height): layer \(i + 1): \(error.description)")
            }
        }
        return result
    }

    /// True when some layer's kernel spans its whole input along `axis` (0 t, 1 h, 2 w): such a
    /// model only takes inputs of its training size along that axis.
    public func spansWhole(axis: Int) -> Bool {
        layers.contains { $0.kernel[axis] == .full }
    }

    /// Pretty JSON for checkpoints and `--print-spec`.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
