import STGTensor

/// The Adam optimizer (Kingma and Ba) on one flat parameter buffer, minimising.
public struct Adam: Codable, Sendable, Equatable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float = 1e-8
    /// Steps taken so far.
    public var step = 0
    /// First and second moment estimates, one per parameter.
    public var firstMoment: [Float]
    public var secondMoment: [Float]

    public init(parameterCount: Int, learningRate: Float, beta1: Float, beta2: Float) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// w ← w − η · m̂ / (√v̂ + ε) for the gradient `gradient` of the loss to minimise.
    public mutating func update(_ parameters: inout [Float], gradient: [Float]) {
        precondition(parameters.count == gradient.count && gradient.count == firstMoment.count,
                     "Adam: \(parameters.count) parameters, \(gradient.count) gradients, \(firstMoment.count) moments")
        step += 1
        let b1 = beta1, b2 = beta2, eps = epsilon
        let correction1 = 1 - Float(pow(Double(b1), Double(step)))
        let correction2 = 1 - Float(pow(Double(b2), Double(step)))
        let stepSize = learningRate / correction1
        let rootCorrection2 = correction2.squareRoot()
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                parameters.withUnsafeMutableBufferPointer { w in
                    gradient.withUnsafeBufferPointer { g in
                        VectorOps.adamStep(
                            w.baseAddress!, firstMoment: m.baseAddress!, secondMoment: v.baseAddress!,
                            gradient: g.baseAddress!, count: g.count, beta1: b1, beta2: b2, stepSize: stepSize,
                            rootCorrection2: rootCorrection2, epsilon: eps)
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
