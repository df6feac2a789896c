import Foundation
import STGConvNet
import STGMedia

/// Runs a trainer to its last iteration with a log line per iteration, a machine-readable log
/// (JSON lines), a progress bar and checkpoints, in an output folder.
///
/// The folder holds `checkpoint.stgc` (every `checkpointEvery` iterations and at the end) and
/// `log.jsonl`; a run resumed from the checkpoint continues the log from the checkpoint's
/// iteration, dropping lines of iterations that were run after it but not saved.
struct TrainingSession {
    let trainer: Trainer
    let folder: String
    let checkpointEvery: Int
    let metadata: [String: String]
    /// Called every `snapshotEvery` iterations (and at the end) to write intermediate results.
    var snapshotEvery = 0
    var snapshot: ((Trainer) throws -> Void)? = nil
    /// Called after every iteration; its text is added to the iteration's log line.
    var everyIteration: ((Trainer, IterationRecord) -> String?)? = nil

    var checkpointPath: String { folder + "/" + Checkpoint.fileName }
    var logPath: String { folder + "/log.jsonl" }

    /// Trains until `trainer.state.options.iterations`; returns the records of this run.
    @discardableResult
    func run() throws -> [IterationRecord] {
        let total = trainer.state.options.iterations
        let first = trainer.state.iteration
        let log = try LogFile(path: logPath, keepingThrough: first)
        let progress = ProgressReporter(total: total, label: "it", startingAt: first)
        var records: [IterationRecord] = []
        let clock = ContinuousClock.now
        while trainer.state.iteration < total {
            let record: IterationRecord
            do {
                record = try trainer.step()
            } catch {
                progress.clear()
                throw error
            }
            records.append(record)
            try log.append(record)
            progress.clear()
            let extra = everyIteration?(trainer, record).map { "  " + $0 } ?? ""
            Console.line(Self.describe(record, total: total) + extra)
            progress.update(record.iteration, detail: String(format: "f_obs−f_syn %.4g", record.energyDifference))
            if checkpointEvery > 0 && record.iteration % checkpointEvery == 0 && record.iteration < total {
                try Checkpoint.write(trainer.state, metadata: metadata, to: checkpointPath)
            }
            if snapshotEvery > 0 && record.iteration % snapshotEvery == 0 && record.iteration < total {
                try snapshot?(trainer)
            }
        }
        progress.finish()
        try Checkpoint.write(trainer.state, metadata: metadata, to: checkpointPath)
        if !records.isEmpty {
            let seconds = (ContinuousClock.now - clock).seconds
            Console.line(String(
                format: "trained %d iterations in %@ (%.2f s per iteration)", records.count,
                Console.duration(seconds), seconds / Double(records.count)))
        }
        return records
    }

    static func describe(_ record: IterationRecord, total: Int) -> String {
        String(
            format: "iteration %d/%d  f(obs) %.5g  f(syn) %.5g  diff %.4g  |grad| %.4g  %.2f s",
            record.iteration, total, record.meanObservedEnergy, record.meanSynthesizedEnergy,
            record.energyDifference, record.gradientNorm, record.seconds)
    }
}

/// The JSON-lines training log: one `IterationRecord` per line.
final class LogFile {
    private let handle: FileHandle
    private let encoder: JSONEncoder

    /// Opens `path`, keeping the lines of iterations ≤ `keepingThrough` (0: starts empty).
    init(path: String, keepingThrough iteration: Int) throws {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var kept = ""
        if iteration > 0, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let decoder = JSONDecoder()
            for line in text.split(separator: "\n") {
                if let record = try? decoder.decode(IterationRecord.self, from: Data(line.utf8)),
                    record.iteration <= iteration
                {
                    kept += line + "\n"
                }
            }
        }
        try AtomicFile.write(Array(kept.utf8), to: path)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ModelError("\(path): cannot open the log for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func append(_ record: IterationRecord) throws {
        var data = try encoder.encode(record)
        data.append(UInt8(ascii: "\n"))
        handle.write(data)
    }

    deinit { try? handle.close() }
}
