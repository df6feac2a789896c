import STGTensor

/// Fast 3D convolution on AVX-512 (SIMD16 register-tiled micro-kernels), parallel over
/// `Parallel` threads, no allocation (all scratch in the caller's workspace). Per layer and op it
/// picks one of four algorithms (`Strategy.automatic`):
///
/// 1. **Frame-spanning** (`FrameSpanningConv3d`): the kernel covers whole frames (output 1 × 1 per
///    frame), so the layer is a matrix product over frame vectors; the weights stream once.
/// 2. **Indirect** (`IndirectConvolution`, where at least half the computed lanes are real
///    outputs): forward and (when that copy is small) weight gradient read a stride-phase-split
///    copy of the input through one offset per kernel tap; the input gradient is one stride-1 correlation per stride residue
///    class over the zero-padded gradOutput. No column matrix, no col2vol.
/// 3. **Channels-last** (`ChannelsLastConv3d`, forward and input gradient of layers with a small
///    output and many channels, such as st's 7³ stride-3 second layer): a direct convolution on a
///    zero-padded channels-last copy, lanes along the channels; no column matrix.
/// 4. **Columns** (everything else, mostly tiny layers): per video, with columns X (patchCount × L)
///    from `Vol2Col` (L = output volume), weight W (outputChannels × patchCount) and output Y
///    (outputChannels × L), all row-major:
///    forward Yᵀ = Xᵀ · Wᵀ after Y is set to the bias; backwardData dXᵀ = dYᵀ · W then col2vol;
///    backwardWeight dWᵀ += X · dYᵀ. Products by `GEMM` on strided views (no transposes copied).
///
/// The weight gradient of layers with a time stride whose phases have two or more taps (the
/// presets' first layers) runs on pairs of output frames instead (`TimePairWeightGradient`,
/// Winograd F(2, 2) along time: three products where columns run four).
///
/// Every output element has one owner thread and a fixed summation order, so results do not
/// depend on the thread count. The weight-derived data of the indirect and channels-last ops
/// and the frame-spanning forward's rows and input gradient's blocks are `prepare`d once per
/// Langevin run; without it, an indirect or channels-last op derives it once at the start of its
/// workspace and shares it between the videos of the batch, the frame-spanning forward writes
/// one input channel's rows at a time and the input gradient copies its blocks chunk by chunk.
package struct GEMMConv3d: Conv3dKernels {
    /// Which algorithm the ops use.
    package enum Strategy: String, Sendable, CaseIterable {
        /// `FrameSpanningConv3d` for kernels that cover whole frames, else indirect where at least
        /// half the computed lanes are real outputs, else columns.
        case automatic
        /// Always vol2col + GEMM (+ col2vol).
        case columns
        /// Always the indirect convolution, never frame-spanning (for tests; slow on
        /// frame-spanning kernels).
        case indirect
        /// Forward and input gradient always on the channels-last direct convolution, weight
        /// gradient on columns (for tests; slow where the output is large).
        case channelsLast = "channels-last"
    }

    /// Most floats of column matrix the column-path weight gradient makes at once (default 16 MB;
    /// tests set it tiny to exercise the frame blocks).
    package let columnBlockFloats: Int

    /// The most threads an op uses (the workspace is sized for this many).
    package let maxThreads: Int
    package let strategy: Strategy
    /// Floats of source one depth block of the indirect input gradient may read (a cache budget;
    /// tests set it tiny to exercise the blocking).
    package let blockFloats: Int
    /// Fewest depth steps of one such block (tests set 1, so that a tiny budget gives one output
    /// channel per block).
    package let minimumBlockSteps: Int
    /// How the indirect input gradient treats the stride residue classes.
    package let residues: ResidueClasses

    /// Residue classes of the indirect input gradient (see `IndirectConvolution`).
    package enum ResidueClasses: String, Sendable, CaseIterable {
        /// Merged where `IndirectConvolution.prefersMergedResidues` says it pays.
        case automatic
        /// One correlation per class.
        case separate
        /// Height and width classes merged into the channels wherever the stride allows.
        case merged
    }

    /// - Parameters:
    ///   - maxThreads: the most threads one op may use; defaults to `Parallel.threads`.
    ///   - strategy: algorithm choice for forward and backwardData.
    ///   - blockFloats: cache budget of the indirect input gradient's depth blocks.
    ///   - minimumBlockSteps: fewest depth steps of one of those blocks.
    package init(
        maxThreads: Int = Parallel.threads, strategy: Strategy = .automatic,
        blockFloats: Int = IndirectConvolution.defaultBlockFloats,
        minimumBlockSteps: Int = IndirectConvolution.defaultMinimumBlockSteps, residues: ResidueClasses = .automatic,
        columnBlockFloats: Int = 1 << 22
    ) {
        precondition(maxThreads >= 1, "GEMMConv3d needs at least one thread, got \(maxThreads)")
        self.maxThreads = maxThreads
        self.strategy = strategy
        self.blockFloats = blockFloats
        self.minimumBlockSteps = minimumBlockSteps
        self.residues = residues
        self.columnBlockFloats = columnBlockFloats
    }

    private func frameSpanning(_ g: Conv3dGeometry) -> Bool {
        strategy == .automatic && FrameSpanningConv3d.applies(g)
    }

    private func mergedResidues(_ g: Conv3dGeometry) -> Bool {
        switch residues {
        case .automatic: return IndirectConvolution.prefersMergedResidues(g)
        case .separate: return false
        case .merged: return g.stride.h * g.stride.w > 1
        }
    }

    private func indirectWeightGradient(_ g: Conv3dGeometry) -> Bool {
        switch strategy {
        case .automatic: return indirectForward(g) && IndirectConvolution.prefersIndirectWeightGradient(g)
        case .columns, .channelsLast: return false
        case .indirect: return true
        }
    }

    /// The weight gradient on pairs of output frames (`TimePairWeightGradient`) where the column
    /// path would run and some time phase has two taps.
    package func usesTimePairWeightGradient(_ g: Conv3dGeometry) -> Bool {
        strategy == .automatic && !frameSpanning(g) && !indirectWeightGradient(g) && TimePairWeightGradient.applies(g)
    }

    /// Column floats one job of the pair weight gradient builds at a time: a quarter of
    /// `columnBlockFloats` (each thread builds its own block).
    private var pairColumnFloats: Int { max(1, columnBlockFloats / 4) }

    private func indirectForward(_ g: Conv3dGeometry) -> Bool {
        switch strategy {
        case .automatic: return IndirectConvolution.forwardEfficiency(g) >= 0.5
        case .columns, .channelsLast: return false
        case .indirect: return true
        }
    }

    private func indirectBackwardData(_ g: Conv3dGeometry) -> Bool {
        switch strategy {
        case .automatic: return IndirectConvolution.backwardDataEfficiency(g) >= 0.5
        case .columns, .channelsLast: return false
        case .indirect: return true
        }
    }

    /// Channels-last forward where the indirect one wastes lanes and there are enough filters
    /// to fill most of a 48-lane tile (st's second layer); columns below that.
    private func channelsLastForward(_ g: Conv3dGeometry) -> Bool {
        switch strategy {
        case .automatic:
            return !frameSpanning(g) && !indirectForward(g) && g.outputChannels >= 32 && g.kernel.volume >= 8
        case .columns, .indirect: return false
        case .channelsLast: return true
        }
    }

    /// Channels-last input gradient where the indirect one wastes lanes and there are enough input
    /// channels to fill most of a 64-lane tile.
    private func channelsLastBackwardData(_ g: Conv3dGeometry) -> Bool {
        switch strategy {
        case .automatic:
            return !frameSpanning(g) && !indirectBackwardData(g) && g.inputChannels >= 48 && g.kernel.volume >= 8
        case .columns, .indirect: return false
        case .channelsLast: return true
        }
    }

    /// The column-path weight gradient builds its columns from the phase source (contiguous
    /// copies) when the width stride is over 2; vol2col's own rows are contiguous at stride 1 and
    /// deinterleaved 16 at a time at stride 2.
    private func columnsFromPhases(_ g: Conv3dGeometry) -> Bool {
        g.stride.w > 2
    }

    package var name: String { "gemm" }

    private var threads: Int { min(maxThreads, Parallel.threads) }

    /// Scratch of the ops: the prepared weights they derive when not given them, then the
    /// algorithms' own scratch. (Frame-spanning kernels derive per channel or chunk what they
    /// are not given.)
    package func workspaceCount(geometry g: Conv3dGeometry, videos: Int) -> Int {
        (frameSpanning(g) ? 0 : preparedCount(geometry: g)) + algorithmWorkspaceCount(g, videos: videos)
    }

    private func algorithmWorkspaceCount(_ g: Conv3dGeometry, videos: Int) -> Int {
        if frameSpanning(g) {
            return FrameSpanningConv3d.workspaceCount(g, videos: videos, threads: maxThreads)
        }
        var count = 0
        if indirectForward(g) {
            count = max(count, IndirectConvolution.forwardWorkspaceCount(g, videos: 1, threads: maxThreads))
        }
        if indirectWeightGradient(g) {
            count = max(count, IndirectConvolution.weightGradientWorkspaceCount(g, videos: videos, threads: maxThreads))
        }
        if indirectBackwardData(g) {
            count = max(count, IndirectConvolution.backwardDataWorkspaceCount(g, videos: 1, threads: maxThreads))
            if mergedResidues(g) {
                count = max(count, IndirectConvolution.mergedWorkspaceCount(g, videos: videos, threads: maxThreads))
            }
        }
        if channelsLastForward(g) {
            count = max(count, ChannelsLastConv3d.forwardWorkspaceCount(g, videos: videos))
        }
        if channelsLastBackwardData(g) {
            count = max(count, ChannelsLastConv3d.backwardDataWorkspaceCount(g, videos: videos))
        }
        let L = g.output.volume
        let P = g.patchCount
        let co = g.outputChannels
        if (!indirectForward(g) && !channelsLastForward(g)) || (!indirectBackwardData(g) && !channelsLastBackwardData(g)) {
            // The column matrix of one video and the GEMM's packing slots.
            let gemm = max(
                GEMM.workspaceCount(m: L, n: co, k: P, threads: maxThreads),
                GEMM.workspaceCount(m: L, n: P, k: co, threads: maxThreads))
            count = max(count, P * L + gemm)
        }
        if usesTimePairWeightGradient(g) {
            count = max(
                count,
                TimePairWeightGradient.workspaceCount(g, threads: maxThreads, columnFloats: pairColumnFloats))
        } else if !indirectWeightGradient(g) {
            // Columns of a block of output frames and the GEMM's packing slots.
            let plane = g.output.h * g.output.w
            let frames = max(1, min(g.output.t, columnBlockFloats / max(1, P * plane)))
            let gemm = GEMM.workspaceCount(m: P, n: co, k: frames * plane, threads: maxThreads)
            let phases = columnsFromPhases(g) ? IndirectConvolution.ForwardLayout(g).sourceCount : 0
            count = max(count, P * frames * plane + gemm + phases)
        }
        return count
    }

    /// Prepared weights: the forward part, then the input-gradient part (either may be empty:
    /// columns pack inside the GEMM, and the merged residue classes pack per call).
    private func preparedParts(_ g: Conv3dGeometry) -> (forward: Int, backwardData: Int) {
        var forward = 0
        var backwardData = 0
        if frameSpanning(g) {
            return (FrameSpanningConv3d.forwardPreparedCount(g), FrameSpanningConv3d.backwardDataPreparedCount(g))
        }
        if channelsLastForward(g) {
            forward = ChannelsLastConv3d.forwardPreparedCount(g)
        } else if indirectForward(g) {
            forward = IndirectConvolution.forwardPreparedCount(g)
        }
        if channelsLastBackwardData(g) {
            backwardData = ChannelsLastConv3d.backwardDataPreparedCount(g)
        } else if indirectBackwardData(g) && !mergedResidues(g) {
            backwardData = IndirectConvolution.backwardDataPreparedCount(g)
        }
        return (forward, backwardData)
    }

    package func preparedCount(geometry g: Conv3dGeometry) -> Int {
        let parts = preparedParts(g)
        return parts.forward + parts.backwardData
    }

    package func prepare(weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, into prepared: UnsafeMutablePointer<Float>) {
        prepare(weight: weight, geometry: g, part: .forward, into: prepared)
        prepare(weight: weight, geometry: g, part: .backwardData, into: prepared + preparedParts(g).forward)
    }

    private enum PreparedPart { case forward, backwardData }

    /// Writes one part of the prepared weights at `destination` (the start of that part).
    private func prepare(
        weight: UnsafePointer<Float>, geometry g: Conv3dGeometry, part: PreparedPart,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let parts = preparedParts(g)
        switch part {
        case .forward where parts.forward > 0:
            if frameSpanning(g) {
                FrameSpanningConv3d.prepareForward(weight: weight, geometry: g, threads: threads, into: destination)
            } else if channelsLastForward(g) {
                ChannelsLastConv3d.prepareForward(weight: weight, geometry: g, into: destination)
            } else {
                IndirectConvolution.prepareForward(weight: weight, geometry: g, into: destination)
            }
        case .backwardData where parts.backwardData > 0:
            if frameSpanning(g) {
                FrameSpanningConv3d.prepareBackwardData(weight: weight, geometry: g, threads: threads, into: destination)
            } else if channelsLastBackwardData(g) {
                ChannelsLastConv3d.prepareBackwardData(weight: weight, geometry: g, into: destination)
            } else {
                IndirectConvolution.prepareBackwardData(weight: weight, geometry: g, into: destination)
            }
        default:
            break
        }
    }

    package func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        videos: Int, geometry g: Conv3dGeometry, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>
    ) {
        // Without prepared weights, they are derived once at the start of the workspace (and
        // shared by the per-video calls below).
        if frameSpanning(g) {
            FrameSpanningConv3d.forward(
                input: input, weight: weight, bias: bias, videos: videos, geometry: g, threads: threads,
                prepared: prepared, workspace: workspace, into: output)
            return
        }
        let parts = preparedParts(g)
        var prepared = parts.forward > 0 ? prepared : nil
        if parts.forward > 0 && prepared == nil {
            prepare(weight: weight, geometry: g, part: .forward, into: workspace)
            prepared = UnsafePointer(workspace)
        }
        let workspace = workspace + parts.forward + parts.backwardData
        let L = g.output.volume
        let P = g.patchCount
        let co = g.outputChannels
        let columns = workspace
        let scratch = workspace + P * L
        let t = threads
        if channelsLastForward(g) {
            ChannelsLastConv3d.forward(
                input: input, weight: weight, bias: bias, videos: videos, geometry: g, threads: t,
                prepared: prepared, workspace: workspace, into: output)
            return
        }
        if indirectForward(g) {
            // One video at a time (the phase source of a large video is large; frames give enough
            // parallel work).
            for n in 0..<videos {
                IndirectConvolution.forward(
                    input: input + n * g.inputCount, weight: weight, bias: bias, videos: 1, geometry: g, threads: t,
                    prepared: prepared, workspace: workspace, into: output + n * g.outputCount)
            }
            return
        }
        for n in 0..<videos {
            let y = output + n * g.outputCount
            Vol2Col.expand(input + n * g.inputCount, geometry: g, threads: t, into: columns)
            for c in 0..<co { (y + c * L).update(repeating: bias[c], count: L) }
            // Yᵀ (L × co) += Xᵀ (L × P) · Wᵀ (P × co)
            GEMM.multiply(
                MatrixView(columns, rows: L, columns: P, rowStride: 1, columnStride: L),
                MatrixView(weight, rows: P, columns: co, rowStride: 1, columnStride: P),
                into: MutableMatrixView(y, rows: L, columns: co, rowStride: 1, columnStride: L),
                accumulate: true, threads: t, workspace: scratch)
        }
    }

    package func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        videos: Int, geometry g: Conv3dGeometry, prepared: UnsafePointer<Float>?,
        workspace: UnsafeMutablePointer<Float>, into gradInput: UnsafeMutablePointer<Float>
    ) {
        if frameSpanning(g) {
            FrameSpanningConv3d.backwardData(
                gradOutput: gradOutput, weight: weight, videos: videos, geometry: g, threads: threads,
                prepared: prepared.map { $0 + preparedParts(g).forward }, workspace: workspace, into: gradInput)
            return
        }
        let parts = preparedParts(g)
        var prepared = parts.backwardData > 0 ? prepared.map { $0 + parts.forward } : nil
        if parts.backwardData > 0 && prepared == nil {
            prepare(weight: weight, geometry: g, part: .backwardData, into: workspace + parts.forward)
            prepared = UnsafePointer(workspace + parts.forward)
        }
        let workspace = workspace + parts.forward + parts.backwardData
        let L = g.output.volume
        let P = g.patchCount
        let co = g.outputChannels
        let columns = workspace
        let scratch = workspace + P * L
        let t = threads
        if channelsLastBackwardData(g) {
            ChannelsLastConv3d.backwardData(
                gradOutput: gradOutput, weight: weight, videos: videos, geometry: g, threads: t,
                prepared: prepared, workspace: workspace, into: gradInput)
            return
        }
        if indirectBackwardData(g) && mergedResidues(g) {
            IndirectConvolution.backwardDataMerged(
                gradOutput: gradOutput, weight: weight, videos: videos, geometry: g, threads: t,
                blockFloats: blockFloats, workspace: workspace, into: gradInput)
            return
        }
        if indirectBackwardData(g) {
            for n in 0..<videos {
                IndirectConvolution.backwardData(
                    gradOutput: gradOutput + n * g.outputCount, weight: weight, videos: 1, geometry: g, threads: t,
                    blockFloats: blockFloats, minimumBlockSteps: minimumBlockSteps, prepared: prepared,
                    workspace: workspace, into: gradInput + n * g.inputCount)
            }
            return
        }
        for n in 0..<videos {
            // dXᵀ (L × P) = dYᵀ (L × co) · W (co × P)
            GEMM.multiply(
                MatrixView(gradOutput + n * g.outputCount, rows: L, columns: co, rowStride: 1, columnStride: L),
                MatrixView.rowMajor(weight, rows: co, columns: P),
                into: MutableMatrixView(columns, rows: L, columns: P, rowStride: 1, columnStride: L),
                accumulate: false, threads: t, workspace: scratch)
            Vol2Col.collapse(columns, geometry: g, threads: t, into: gradInput + n * g.inputCount)
        }
    }

    package func backwardWeight(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        videos: Int, geometry g: Conv3dGeometry, workspace: UnsafeMutablePointer<Float>,
        addingInto gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>
    ) {
        let L = g.output.volume
        let P = g.patchCount
        let co = g.outputChannels
        let t = threads
        if frameSpanning(g) {
            FrameSpanningConv3d.backwardWeight(
                input: input, gradOutput: gradOutput, videos: videos, geometry: g, threads: t,
                workspace: workspace, addingInto: gradWeight, gradBias: gradBias)
            return
        }
        if usesTimePairWeightGradient(g) {
            TimePairWeightGradient.backwardWeight(
                input: input, gradOutput: gradOutput, videos: videos, geometry: g, threads: t,
                columnFloats: pairColumnFloats, workspace: workspace, addingInto: gradWeight, gradBias: gradBias)
            return
        }
        if indirectWeightGradient(g) {
            IndirectConvolution.backwardWeight(
                input: input, gradOutput: gradOutput, videos: videos, geometry: g, threads: t,
                workspace: workspace, addingInto: gradWeight, gradBias: gradBias)
            return
        }
        // Columns of a block of output frames at a time (at most `columnBlockFloats`), so the
        // column matrix of a large layer never exists whole.
        let plane = g.output.h * g.output.w
        let framesPerBlock = max(1, min(g.output.t, columnBlockFloats / max(1, P * plane)))
        let columns = workspace
        let phaseSource = workspace + P * framesPerBlock * plane
        let fromPhases = columnsFromPhases(g)
        let scratch = phaseSource + (fromPhases ? IndirectConvolution.ForwardLayout(g).sourceCount : 0)
        for n in 0..<videos {
            let dy = gradOutput + n * g.outputCount
            if fromPhases {
                IndirectConvolution.fillPhaseSources(
                    input + n * g.inputCount, videos: 1, g, IndirectConvolution.ForwardLayout(g), threads: t,
                    into: phaseSource)
            }
            var t0 = 0
            while t0 < g.output.t {
                let t1 = min(g.output.t, t0 + framesPerBlock)
                let Lc = (t1 - t0) * plane
                if fromPhases {
                    Vol2Col.expand(phases: phaseSource, geometry: g, threads: t, frames: t0..<t1, into: columns)
                } else {
                    Vol2Col.expand(input + n * g.inputCount, geometry: g, threads: t, frames: t0..<t1, into: columns)
                }
                // dWᵀ (P × co) += X[:, block] (P × Lc) · dYᵀ[block, :] (Lc × co)
                GEMM.multiply(
                    MatrixView.rowMajor(columns, rows: P, columns: Lc),
                    MatrixView(dy + t0 * plane, rows: Lc, columns: co, rowStride: 1, columnStride: L),
                    into: MutableMatrixView(gradWeight, rows: P, columns: co, rowStride: 1, columnStride: P),
                    accumulate: true, threads: t, workspace: scratch)
                t0 = t1
            }
            BiasGradient.add(gradOutput: dy, geometry: g, into: gradBias)
        }
    }
}
