/// How a convolution layer pads its input.
public enum Conv3dPadding: Hashable, Sendable, CustomStringConvertible {
    /// TensorFlow's SAME: output = ceil(input / stride); total padding
    /// max((output − 1)·stride + kernel − input, 0), the smaller half before, the larger after.
    case same
    /// Symmetric zero padding of the given size on both sides of each axis.
    case explicit(Axis3)

    public var description: String {
        switch self {
        case .same: return "SAME"
        case .explicit(let p): return "\(p)"
        }
    }
}

/// A convolution shape that cannot be built, with the sizes that make it impossible.
public struct Conv3dGeometryError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The shape of one 3D convolution of a single video, checked once and then trusted by kernels.
///
/// Input (inputChannels, input.t, input.h, input.w), weight (outputChannels, inputChannels,
/// kernel.t, kernel.h, kernel.w), output (outputChannels, output.t, output.h, output.w); all
/// row-major, width fastest. Output position o along an axis reads input positions
/// o·stride − padBefore + k for k in 0..<kernel; positions outside 0..<input are zeros.
public struct Conv3dGeometry: Hashable, Sendable, CustomStringConvertible {
    public let inputChannels: Int
    public let outputChannels: Int
    public let input: Axis3
    public let kernel: Axis3
    public let stride: Axis3
    public let padBefore: Axis3
    public let padAfter: Axis3
    public let output: Axis3

    public init(
        inputChannels: Int, outputChannels: Int, input: Axis3, kernel: Axis3, stride: Axis3,
        padding: Conv3dPadding
    ) throws {
        guard inputChannels > 0, outputChannels > 0 else {
            throw Conv3dGeometryError(
                "channels must be positive: input \(inputChannels), output \(outputChannels)")
        }
        var before = Axis3(0)
        var after = Axis3(0)
        var output = Axis3(0)
        for axis in 0..<3 {
            let size = input[axis]
            let k = kernel[axis]
            let s = stride[axis]
            guard size > 0, k > 0, s > 0 else {
                throw Conv3dGeometryError(
                    "input \(input), kernel \(kernel) and stride \(stride) must all be positive")
            }
            switch padding {
            case .same:
                let out = (size + s - 1) / s
                let total = max((out - 1) * s + k - size, 0)
                before[axis] = total / 2
                after[axis] = total - total / 2
                output[axis] = out
            case .explicit(let pad):
                guard pad[axis] >= 0 else { throw Conv3dGeometryError("negative padding \(pad)") }
                before[axis] = pad[axis]
                after[axis] = pad[axis]
                let padded = size + 2 * pad[axis]
                guard padded >= k else {
                    let name = ["time", "height", "width"][axis]
                    throw Conv3dGeometryError(
                        "kernel \(kernel) is larger than the padded input \(input) + 2×\(pad) along \(name) (\(k) > \(padded))"
                    )
                }
                output[axis] = (padded - k) / s + 1
            }
        }
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.input = input
        self.kernel = kernel
        self.stride = stride
        self.padBefore = before
        self.padAfter = after
        self.output = output
    }

    /// Values in one input video: inputChannels × input volume.
    public var inputCount: Int { inputChannels * input.volume }
    /// Values in one output video: outputChannels × output volume.
    public var outputCount: Int { outputChannels * output.volume }
    /// Values in the weight: outputChannels × inputChannels × kernel volume.
    public var weightCount: Int { outputChannels * patchCount }
    /// Length of one receptive field: inputChannels × kernel volume (the GEMM's inner size).
    public var patchCount: Int { inputChannels * kernel.volume }
    /// Multiply-adds of one forward pass over one video (padding included).
    public var multiplyAdds: Int { outputCount * patchCount }
    /// True when the padding differs between the two sides of some axis.
    public var isAsymmetric: Bool { padBefore != padAfter }

    public var description: String {
        "\(inputChannels)×\(input) → \(outputChannels)×\(output), kernel \(kernel), stride \(stride), "
            + "padding \(padBefore)+\(padAfter)"
    }
}
