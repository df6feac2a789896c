/// The update of one Langevin step, in place:
///
///     x ← x − (δ²/2) (x/σ² − g) + δ · N(0, 1)
///
/// only where mask ≠ 0 when a mask is given (elsewhere x is left exactly as it is). The noise is
/// `GaussianNoise` stream `stream` under `seed`, made in registers 32 values at a time as the
/// update uses it: the same values, block by block, as `GaussianNoise.fill` writes, so the result
/// is the same as filling a noise buffer first, without writing and reading one (a video batch of
/// st: 25 MB each way per step). Parallel over the noise blocks; results do not depend on the
/// thread count.
package enum LangevinUpdate {
    package static func step(
        _ x: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, mask: UnsafePointer<Float>?, count: Int,
        stepSize delta: Float, sigma: Float, seed: UInt64, stream: UInt64
    ) {
        let size = GaussianNoise.blockSize
        let blocks = (count + size - 1) / size
        let update = Update(
            x: UncheckedSendable(x), gradient: UncheckedSendable(gradient), mask: UncheckedSendable(mask),
            half: 0.5 * delta * delta, inverseVariance: 1 / (sigma * sigma), delta: delta)
        Parallel.forEach(blocks) { block in
            let key = GaussianNoise.key(seed: seed, stream: stream, block: block)
            let start = block * size
            let end = min(start + size, count)
            var i = start
            while i < end {
                let (u1, u2) = GaussianNoise.uniforms(key: key, draw: (i - start) / 2)
                let (cosines, sines) = GaussianNoise.boxMuller(u1, u2, scale: 1)
                update.apply(at: i, lanes: min(16, end - i), noise: cosines)
                update.apply(at: i + 16, lanes: min(16, end - i - 16), noise: sines)
                i += 32
            }
        }
    }

    private struct Update: Sendable {
        let x: UncheckedSendable<UnsafeMutablePointer<Float>>
        let gradient: UncheckedSendable<UnsafePointer<Float>>
        let mask: UncheckedSendable<UnsafePointer<Float>?>
        let half: Float
        let inverseVariance: Float
        let delta: Float

        /// Values i ..< i + lanes (none when lanes ≤ 0) with noise lanes 0 ..< lanes.
        @inline(__always)
        func apply(at i: Int, lanes: Int, noise: SIMD16<Float>) {
            let x = self.x.value + i
            let g = gradient.value + i
            if lanes == 16 {
                let v = UnsafeRawPointer(x).loadUnaligned(as: SIMD16<Float>.self)
                let gv = UnsafeRawPointer(g).loadUnaligned(as: SIMD16<Float>.self)
                var updated = v - half * (v * inverseVariance - gv) + delta * noise
                if let mask = mask.value {
                    let m = UnsafeRawPointer(mask + i).loadUnaligned(as: SIMD16<Float>.self)
                    updated = v.replacing(with: updated, where: m .!= 0)
                }
                UnsafeMutableRawPointer(x).storeBytes(of: updated, as: SIMD16<Float>.self)
                return
            }
            for lane in 0..<max(0, lanes) where mask.value.map({ $0[i + lane] != 0 }) ?? true {
                x[lane] = x[lane] - half * (x[lane] * inverseVariance - g[lane]) + delta * noise[lane]
            }
        }
    }
}
