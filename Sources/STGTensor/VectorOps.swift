/// Elementwise kernels on raw buffers, used by the model's inner loops.
///
/// SIMD16 loops, split over `Parallel` threads for large buffers in chunks that start on
/// 64-byte boundaries of the index space (no false sharing between threads beyond the buffer's
/// own alignment). Reductions sum fixed blocks in Double and add the block sums in order, so
/// every result is the same for any thread count.
package enum VectorOps {
    /// Buffers shorter than this run on the calling thread.
    package static let parallelThreshold = 1 << 17

    /// Runs `body(range)` over `0..<count` in chunks of whole 16-float vectors.
    @inline(__always)
    static func chunked(_ count: Int, _ body: (Range<Int>) -> Void) {
        let threads = Parallel.threads
        if count < parallelThreshold || threads == 1 {
            body(0..<count)
            return
        }
        let vectors = (count + 15) / 16
        let chunks = min(threads, vectors)
        Parallel.forEach(chunks) { chunk in
            let start = chunk * vectors / chunks * 16
            let end = min(count, (chunk + 1) * vectors / chunks * 16)
            body(start..<end)
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always) static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// x = max(x, 0), in place (negative values become +0; NaN stays NaN).
    package static func reluInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        chunked(count) { range in
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                let v = load(x, i)
                store(v.replacing(with: 0, where: v .< 0), x, i)
                i += 16
            }
            while i < range.upperBound {
                if x[i] < 0 { x[i] = 0 }
                i += 1
            }
        }
    }

    /// One Adam step, elementwise and in place: m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g²,
    /// w −= stepSize · m / (√v / rootCorrection2 + ε). Each element's arithmetic does not depend
    /// on how the range is split, so results do not depend on the thread count.
    package static func adamStep(
        _ w: UnsafeMutablePointer<Float>, firstMoment m: UnsafeMutablePointer<Float>,
        secondMoment v: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int,
        beta1 b1: Float, beta2 b2: Float, stepSize: Float, rootCorrection2: Float, epsilon: Float
    ) {
        chunked(count) { range in
            for i in range {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                w[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + epsilon)
            }
        }
    }

    /// x = min(max(x, lower), upper), in place (values already in range stay bit-identical).
    package static func clamp(_ x: UnsafeMutablePointer<Float>, count: Int, lower: Float, upper: Float) {
        chunked(count) { range in
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                store(load(x, i).clamped(lowerBound: SIMD16(repeating: lower), upperBound: SIMD16(repeating: upper)), x, i)
                i += 16
            }
            while i < range.upperBound {
                x[i] = min(max(x[i], lower), upper)
                i += 1
            }
        }
    }

    /// g = g where y > 0, else 0 (the ReLU backward given the ReLU's output y), in place.
    package static func reluBackward(_ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count: Int) {
        chunked(count) { range in
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                store(load(g, i).replacing(with: 0, where: load(y, i) .<= 0), g, i)
                i += 16
            }
            while i < range.upperBound {
                if y[i] <= 0 { g[i] = 0 }
                i += 1
            }
        }
    }

    /// x[i] = value.
    package static func fill(_ x: UnsafeMutablePointer<Float>, count: Int, value: Float) {
        chunked(count) { range in (x + range.lowerBound).update(repeating: value, count: range.count) }
    }

    /// y += a·x.
    package static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        chunked(count) { range in
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                var v = load(y, i)
                v.addProduct(a, load(x, i))
                store(v, y, i)
                i += 16
            }
            while i < range.upperBound {
                y[i] += a * x[i]
                i += 1
            }
        }
    }

    /// Σ x, accumulated in Double.
    package static func sum(_ x: UnsafePointer<Float>, count: Int) -> Double {
        blockReduce(count) { range in
            var acc = SIMD8<Double>()
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                let v = load(x, i)
                acc += SIMD8<Double>(v.lowHalf) + SIMD8<Double>(v.highHalf)
                i += 16
            }
            var total = acc.sum()
            while i < range.upperBound {
                total += Double(x[i])
                i += 1
            }
            return total
        }
    }

    /// Σ x², accumulated in Double.
    package static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        blockReduce(count) { range in
            var acc = SIMD8<Double>()
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                let v = load(x, i)
                let low = SIMD8<Double>(v.lowHalf)
                let high = SIMD8<Double>(v.highHalf)
                acc.addProduct(low, low)
                acc.addProduct(high, high)
                i += 16
            }
            var total = acc.sum()
            while i < range.upperBound {
                total += Double(x[i]) * Double(x[i])
                i += 1
            }
            return total
        }
    }

    /// Σ over at most 64 fixed blocks (block size depends on count only), block sums added in
    /// order: the same result for every thread count.
    @inline(__always)
    static func blockReduce(_ count: Int, _ block: (Range<Int>) -> Double) -> Double {
        if count <= 0 { return 0 }
        let size = max(1 << 16, (count + 63) / 64 + 15) / 16 * 16
        let blocks = (count + size - 1) / size
        if blocks == 1 { return block(0..<count) }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 64) { partials in
            let base = partials.baseAddress!
            Parallel.forEach(blocks) { b in base[b] = block(b * size..<min(count, (b + 1) * size)) }
            var total = 0.0
            for b in 0..<blocks { total += partials[b] }
            return total
        }
    }
}
