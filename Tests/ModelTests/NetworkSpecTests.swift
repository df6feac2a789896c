import Foundation
import STGConvNet
import STGKernels
import XCTest

final class NetworkSpecTests: XCTestCase {
    /// The layer geometries at 64×64×16 agree with the PyTorch reference's log
    /// (shared/reference/learncheck), including TF-style asymmetric SAME padding.
    func testPresetGeometriesMatchTheReference() throws {
        let fcs = try Preset.fcs.spec.geometries(channels: 3, frames: 16, height: 64, width: 64)
        XCTAssertEqual(fcs.map(\.output), [[8, 32, 32], [4, 1, 1], [5, 1, 1]])
        XCTAssertEqual(fcs.map(\.outputChannels), [120, 30, 5])
        XCTAssertEqual(fcs[0].padBefore, [2, 2, 2])
        XCTAssertEqual(fcs[0].padAfter, [3, 3, 3])
        XCTAssertEqual(fcs[1].kernel, [5, 32, 32], "the frame-spanning layer follows the frame size")

        let st = try Preset.st.spec.geometries(channels: 3, frames: 16, height: 64, width: 64)
        XCTAssertEqual(st.map(\.output), [[3, 10, 10], [1, 4, 4], [1, 2, 2]])
        XCTAssertEqual(st[0].padBefore, [6, 7, 7])
        XCTAssertEqual(st[0].padAfter, [7, 7, 7])
        XCTAssertEqual(st[2].padBefore, [0, 0, 0])
        XCTAssertEqual(st[2].padAfter, [1, 1, 1])

        let fcs100 = try Preset.fcs.spec.geometries(channels: 3, frames: 70, height: 100, width: 100)
        XCTAssertEqual(fcs100[1].kernel, [5, 50, 50])
        let large = try Preset.fcsLarge.spec.geometries(channels: 3, frames: 70, height: 224, width: 224)
        XCTAssertEqual(large[1].kernel, [4, 75, 75])
        let action = try Preset.action.spec.geometries(channels: 3, frames: 16, height: 64, width: 64)
        XCTAssertEqual(action.last!.output, [1, 1, 1], "the action top layer spans all of space-time")
    }

    func testSpecJSONRoundTripAndErrors() throws {
        let json = """
            {"name": "tiny", "layers": [
              {"filters": 4, "kernel": [3, 3, 3], "stride": 2, "padding": "same"},
              {"filters": 2, "kernel": [2, "full", "full"], "stride": [1, 1, 1], "padding": [1, 0, 0]}
            ]}
            """
        let spec = try JSONDecoder().decode(NetworkSpec.self, from: Data(json.utf8))
        XCTAssertEqual(spec.layers[1].kernel, [.size(2), .full, .full])
        XCTAssertEqual(spec.layers[1].padding, .explicit([1, 0, 0]))
        let again = try JSONDecoder().decode(NetworkSpec.self, from: Data(spec.jsonString().utf8))
        XCTAssertEqual(again, spec)

        let folder = NSTemporaryDirectory() + "spec-\(UUID().uuidString).json"
        try Data(#"{"name": "bad", "layers": [{"filters": 0, "kernel": 3, "stride": 1, "padding": "same"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: folder))
        XCTAssertThrowsError(try NetworkSpec.load(path: folder)) { error in
            XCTAssertTrue("\(error)".contains(folder), "\(error)")
            XCTAssertTrue("\(error)".contains("filters must be positive"), "\(error)")
        }
        XCTAssertThrowsError(try NetworkSpec.load(path: "/no/such/spec.json")) { error in
            XCTAssertTrue("\(error)".contains("/no/such/spec.json"), "\(error)")
        }
    }

    func testTooSmallInputIsAClearError() {
        let spec = NetworkSpec(name: "valid", layers: [LayerSpec(filters: 2, kernel: 5, stride: 1, padding: .explicit(0))])
        XCTAssertThrowsError(try spec.geometries(channels: 3, frames: 2, height: 64, width: 64)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("layer"), text)
            XCTAssertTrue(text.contains("2 frames"), text)
        }
    }

    func testFrameSpanningNetworkRefusesOtherSizes() throws {
        let net = try DescriptorNet(
            spec: Preset.fcs.spec, inputShape: VideoShape(channels: 3, frames: 16, height: 64, width: 64), seed: 1)
        XCTAssertNoThrow(try net.resized(to: VideoShape(channels: 3, frames: 32, height: 64, width: 64)))
        XCTAssertThrowsError(try net.resized(to: VideoShape(channels: 3, frames: 16, height: 96, width: 96))) { error in
            XCTAssertTrue("\(error)".contains("spans the whole frame"), "\(error)")
        }
        let st = try DescriptorNet(
            spec: Preset.st.spec, inputShape: VideoShape(channels: 3, frames: 16, height: 64, width: 64), seed: 1)
        let bigger = try st.resized(to: VideoShape(channels: 3, frames: 40, height: 96, width: 128))
        XCTAssertEqual(bigger.parameters, st.parameters)
    }
}
