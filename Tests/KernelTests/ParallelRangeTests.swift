import STGTensor
import XCTest

/// `Parallel.range`: contiguous ranges of about equal cost, worked out by hand.
final class ParallelRangeTests: XCTestCase {
    private func bounds(_ costs: [Int], parts: Int) -> [Range<Int>] {
        (0..<parts).map { Parallel.range($0, of: parts, count: costs.count) { costs[$0] } }
    }

    func testEqualCostsSplitEvenly() {
        XCTAssertEqual(bounds([1, 1, 1, 1, 1, 1], parts: 2), [0..<3, 3..<6])
        XCTAssertEqual(bounds([2, 2, 2, 2, 2, 2], parts: 3), [0..<2, 2..<4, 4..<6])
    }

    /// st 32×64×64's first layer by frames: time taps 10, 15, 15, 15, 9 (total 64, half 32).
    /// After frames 0–1 the running cost is 25, after 0–2 it is 40: 25 is nearer to 32.
    func testCutWhereTheRunningCostIsNearestItsShare() {
        XCTAssertEqual(bounds([10, 15, 15, 15, 9], parts: 2), [0..<2, 2..<5])
        // The same frames in 10 filter panels each (total 640, half 320): after frame 1 the
        // running cost is 250, then 15 per panel of frame 2; 4 panels make 310, 5 make 325,
        // and 325 is nearer.
        let panels = [10, 15, 15, 15, 9].flatMap { Array(repeating: $0, count: 10) }
        XCTAssertEqual(bounds(panels, parts: 2), [0..<25, 25..<50])
    }

    /// Shares 34 and 68 of 102: the first cut stays at 0 (100 is farther from 34 than 0 is).
    func testAnExpensiveFirstItemLeavesTheFirstRangeEmpty() {
        XCTAssertEqual(bounds([100, 1, 1], parts: 3), [0..<0, 0..<1, 1..<3])
        XCTAssertEqual(bounds([1, 100, 1], parts: 3), [0..<1, 1..<2, 2..<3])
        XCTAssertEqual(bounds([], parts: 2), [0..<0, 0..<0])
        XCTAssertEqual(bounds([5, 5], parts: 1), [0..<2])
    }
}
