import STGTensor
import XCTest

/// `LargeBuffer`: alignment by size, and every float of the buffer usable.
final class LargeBufferTests: XCTestCase {
    func testAlignmentBySizeAndWholeBufferWritable() {
        // Below 2 MiB: 64-byte aligned; from 2 MiB (524 288 floats) up: 2 MiB aligned.
        for (count, alignment) in [(0, 64), (1, 64), (1000, 64), (524_287, 64), (524_288, 1 << 21), (3_000_001, 1 << 21)] {
            let buffer = LargeBuffer.allocate(count)
            defer { buffer.deallocate() }
            XCTAssertEqual(buffer.count, max(1, count), "count \(count)")
            XCTAssertEqual(Int(bitPattern: buffer.baseAddress!) % alignment, 0, "count \(count)")
            for i in buffer.indices { buffer[i] = Float(i % 977) }
            var sum = 0.0
            for i in buffer.indices { sum += Double(buffer[i]) }
            let expected = (0..<max(1, count)).reduce(0.0) { $0 + Double($1 % 977) }
            XCTAssertEqual(sum, expected, "count \(count)")
        }
    }
}
