import Foundation
import STGMedia
import STGTensor

/// A checkpoint file that cannot be read, with the path and the problem.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "\(path): \(problem)" }
}

/// The checkpoint file format, version 1 (documented in docs/checkpoint-format.md).
///
///     bytes 0..<8   magic "STGCKPT\0"
///     bytes 8..<12  format version, UInt32 little-endian (1)
///     bytes 12..<16 header length H, UInt32 little-endian
///     H bytes       header: UTF-8 JSON (spec, shapes, options, mean, iteration, Adam step,
///                   array table, user metadata)
///     then          the arrays of the table, in its order, each as little-endian Float32
///
/// Files are written to a temporary name in the same folder and renamed into place, so a
/// checkpoint on disk is always complete.
public enum Checkpoint {
    public static let magic: [UInt8] = Array("STGCKPT".utf8) + [0]
    public static let version: UInt32 = 1
    /// The file name inside an output folder.
    public static let fileName = "checkpoint.stgc"

    struct Header: Codable {
        var spec: NetworkSpec
        var inputShape: VideoShape
        var options: TrainingOptions
        var mean: Float
        var iteration: Int
        var adamStep: Int
        var chains: Int
        var observedVideos: Int
        var hasMask: Bool
        var arrays: [ArrayEntry]
        var metadata: [String: String]
    }

    struct ArrayEntry: Codable {
        var name: String
        var count: Int
    }

    /// Writes `state` (and free-form `metadata`, such as the training inputs) to `path` atomically.
    public static func write(_ state: TrainingState, metadata: [String: String] = [:], to path: String) throws {
        var arrays: [(String, [Float])] = [
            ("parameters", state.net.parameters), ("adam.m", state.adam.firstMoment),
            ("adam.v", state.adam.secondMoment), ("chains", state.chains.storage),
            ("observed", state.observed.storage),
        ]
        if let mask = state.freeMask { arrays.append(("mask", mask.storage)) }
        let header = Header(
            spec: state.net.spec, inputShape: state.net.inputShape, options: state.options, mean: state.mean,
            iteration: state.iteration, adamStep: state.adam.step, chains: state.chains.shape.videos,
            observedVideos: state.observed.shape.videos, hasMask: state.freeMask != nil,
            arrays: arrays.map { ArrayEntry(name: $0.0, count: $0.1.count) }, metadata: metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        // Streamed to the file: a checkpoint of fcs-large is over a gigabyte, and one copy of it
        // in memory would double the peak memory of training.
        do {
            try AtomicFile.write(to: path) { file in
                try magic.withUnsafeBytes { try file.write($0) }
                try withUnsafeBytes(of: version.littleEndian) { try file.write($0) }
                try withUnsafeBytes(of: UInt32(json.count).littleEndian) { try file.write($0) }
                try json.withUnsafeBytes { try file.write($0) }
                for (_, values) in arrays {
                    try values.withUnsafeBytes { try file.write($0) }
                }
            }
        } catch let error as MediaError {
            throw CheckpointError(path, error.problem)
        }
    }

    /// Reads a checkpoint, checking magic, version and sizes; returns the state and metadata.
    public static func read(_ path: String) throws -> (state: TrainingState, metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError(path, "cannot read the checkpoint (missing or unreadable file)")
        }
        guard data.count >= 16, Array(data.prefix(8)) == magic else {
            throw CheckpointError(path, "not an STGConvNet checkpoint (wrong magic number)")
        }
        let version = data.loadLittleEndianUInt32(at: 8)
        guard version == Self.version else {
            throw CheckpointError(path, "checkpoint format version \(version); this program reads version \(Self.version)")
        }
        let headerLength = Int(data.loadLittleEndianUInt32(at: 12))
        guard 16 + headerLength <= data.count else { throw CheckpointError(path, "truncated header") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data.subdata(in: 16..<16 + headerLength))
        } catch {
            throw CheckpointError(path, "damaged header: \(error)")
        }
        var offset = 16 + headerLength
        var arrays: [String: [Float]] = [:]
        for entry in header.arrays {
            let bytes = entry.count * 4
            guard entry.count >= 0, offset + bytes <= data.count else {
                throw CheckpointError(path, "truncated: array '\(entry.name)' needs \(bytes) bytes at offset \(offset), file has \(data.count)")
            }
            var values = [Float](repeating: 0, count: entry.count)
            values.withUnsafeMutableBytes { target in
                data.copyBytes(to: target.bindMemory(to: UInt8.self), from: offset..<offset + bytes)
            }
            arrays[entry.name] = values
            offset += bytes
        }
        guard offset == data.count else { throw CheckpointError(path, "\(data.count - offset) unexpected bytes at the end") }
        func array(_ name: String, count: Int) throws -> [Float] {
            guard let values = arrays[name] else { throw CheckpointError(path, "missing array '\(name)'") }
            guard values.count == count else {
                throw CheckpointError(path, "array '\(name)' has \(values.count) values, expected \(count)")
            }
            return values
        }
        var net: DescriptorNet
        do {
            net = try DescriptorNet(spec: header.spec, inputShape: header.inputShape, initialStd: 0, seed: 0)
        } catch {
            throw CheckpointError(path, "the saved network does not build: \(error)")
        }
        net.parameters = try array("parameters", count: net.parameters.count)
        var adam = Adam(
            parameterCount: net.parameters.count, learningRate: header.options.learningRate,
            beta1: header.options.beta1, beta2: header.options.beta2)
        adam.step = header.adamStep
        adam.firstMoment = try array("adam.m", count: net.parameters.count)
        adam.secondMoment = try array("adam.v", count: net.parameters.count)
        let videoShape = TensorShape(
            videos: 1, channels: header.inputShape.channels, frames: header.inputShape.frames,
            height: header.inputShape.height, width: header.inputShape.width)
        let chainShape = videoShape.with(videos: header.chains)
        let observedShape = videoShape.with(videos: header.observedVideos)
        let chains = Tensor(shape: chainShape, storage: try array("chains", count: chainShape.count))
        let observed = Tensor(shape: observedShape, storage: try array("observed", count: observedShape.count))
        let mask = header.hasMask
            ? Tensor(shape: observedShape, storage: try array("mask", count: observedShape.count)) : nil
        let state = TrainingState(
            net: net, adam: adam, options: header.options, iteration: header.iteration, mean: header.mean,
            chains: chains, observed: observed, freeMask: mask)
        return (state, header.metadata)
    }
}

extension Data {
    func loadLittleEndianUInt32(at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(self[self.startIndex + offset + i]) << (8 * UInt32(i)) }
        return value
    }
}
