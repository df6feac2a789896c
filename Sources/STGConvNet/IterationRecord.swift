/// What one learning iteration measured: one line of the training log.
public struct IterationRecord: Codable, Sendable, Equatable {
    /// 1-based iteration number.
    public var iteration: Int
    /// Mean energy f over the observed (or recovered) videos.
    public var meanObservedEnergy: Double
    /// Mean energy f over the synthesized chains.
    public var meanSynthesizedEnergy: Double
    /// meanObservedEnergy − meanSynthesizedEnergy (it falls towards 0 as the model learns).
    public var energyDifference: Double
    /// L2 norm of the parameter gradient mean ∂f/∂w (synthesized) − mean ∂f/∂w (observed).
    public var gradientNorm: Double
    /// Seconds spent on Langevin dynamics of the chains, on recovering occluded pixels, and on the update.
    public var langevinSeconds: Double
    public var recoverySeconds: Double
    public var updateSeconds: Double

    public var seconds: Double { langevinSeconds + recoverySeconds + updateSeconds }

    enum CodingKeys: String, CodingKey {
        case iteration, meanObservedEnergy = "f_observed", meanSynthesizedEnergy = "f_synthesized"
        case energyDifference = "f_difference", gradientNorm = "gradient_norm"
        case langevinSeconds = "langevin_seconds", recoverySeconds = "recovery_seconds", updateSeconds = "update_seconds"
    }
}
