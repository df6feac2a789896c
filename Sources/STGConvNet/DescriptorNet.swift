import STGKernels
import STGTensor

/// The descriptor ConvNet: a spec resolved for one video size, and its parameters.
///
/// f(I; w) = Σ of all top-layer responses of conv3d + bias + ReLU layers applied to I.
/// Parameters live in one flat buffer: for each layer its weight (filters × input channels ×
/// kernel t × h × w) then its bias (filters). Gradients use a twin buffer of the same layout.
public struct DescriptorNet: Sendable, Equatable {
    public let spec: NetworkSpec
    public let inputShape: VideoShape
    public let layers: [Conv3dGeometry]
    /// Weight range of each layer inside `parameters`.
    public let weightRanges: [Range<Int>]
    /// Bias range of each layer inside `parameters`.
    public let biasRanges: [Range<Int>]
    /// All weights and biases.
    public var parameters: [Float]

    /// A network with weights drawn from N(0, initialStd²) and zero biases.
    public init(spec: NetworkSpec, inputShape: VideoShape, initialStd: Float = 0.001, seed: UInt64) throws {
        let layers = try spec.geometries(
            channels: inputShape.channels, frames: inputShape.frames,
            height: inputShape.height, width: inputShape.width)
        var weightRanges: [Range<Int>] = []
        var biasRanges: [Range<Int>] = []
        var offset = 0
        for layer in layers {
            weightRanges.append(offset..<offset + layer.weightCount)
            offset += layer.weightCount
            biasRanges.append(offset..<offset + layer.outputChannels)
            offset += layer.outputChannels
        }
        var parameters = [Float](repeating: 0, count: offset)
        var rng = Xoshiro256(seed: splitMix64(seed ^ 0x1D5C_0A17))
        for range in weightRanges {
            for i in range { parameters[i] = initialStd * rng.nextNormal() }
        }
        self.spec = spec
        self.inputShape = inputShape
        self.layers = layers
        self.weightRanges = weightRanges
        self.biasRanges = biasRanges
        self.parameters = parameters
    }

    /// The same network (same parameters) applied to videos of another size.
    ///
    /// Works for fully convolutional networks; a layer that spans the whole frame (or the whole
    /// clip) changes its kernel with the size, so such a network refuses with the sizes it takes.
    public func resized(to shape: VideoShape) throws -> DescriptorNet {
        if shape == inputShape { return self }
        guard shape.channels == inputShape.channels else {
            throw ModelError("the model takes \(inputShape.channels)-channel videos, not \(shape.channels)")
        }
        let axes = [("frames", shape.frames, inputShape.frames), ("height", shape.height, inputShape.height),
                    ("width", shape.width, inputShape.width)]
        for (axis, (name, wanted, trained)) in axes.enumerated() where spec.spansWhole(axis: axis) && wanted != trained {
            throw ModelError(
                "network '\(spec.name)' has a layer that spans the whole \(axis == 0 ? "clip" : "frame"), so it only "
                    + "takes \(name) = \(trained) (its training size), not \(wanted)")
        }
        var other = try DescriptorNet(spec: spec, inputShape: shape, initialStd: 0, seed: 0)
        guard other.parameters.count == parameters.count else {
            throw ModelError("network '\(spec.name)' has a different number of parameters at \(shape)")
        }
        other.parameters = parameters
        return other
    }

    /// Multiply-adds of one forward pass over one video.
    public var multiplyAdds: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }

    /// Values in the top layer's output of one video.
    public var topCount: Int { layers.last!.outputCount }
}
