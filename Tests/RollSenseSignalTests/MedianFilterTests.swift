import PropertyBased
import Testing
@testable import RollSenseSignal

@Suite struct MedianFilterTests {
    @Test(arguments: [3, 5]) func oneSampleSpikeIsRejected(length: Int) {
        var filter = MedianFilter(length: length)
        var outputs: [Double] = []
        for i in 0..<20 {
            let x = i == 10 ? 1000.0 : 50.0
            outputs.append(filter.update(SIMD4(repeating: x))[0])
        }
        #expect(outputs.allSatisfy { $0 == 50 })
    }

    @Test func twoSampleSpikeIsRejectedByFive() {
        var filter = MedianFilter(length: 5)
        for i in 0..<20 {
            let x = (i == 10 || i == 11) ? 1000.0 : 50.0
            #expect(filter.update(SIMD4(repeating: x))[0] == 50)
        }
    }

    @Test func spikeInTheFirstSamplesIsHeldBack() {
        var filter = MedianFilter(length: 5)
        #expect(filter.update(SIMD4(repeating: 10))[0] == 10)  // single sample: itself
        #expect(filter.update(SIMD4(repeating: 900))[0] == 10)  // two: the older
        #expect(filter.update(SIMD4(repeating: 10))[0] == 10)
    }

    @Test func lengthOneIsAPassThrough() {
        var filter = MedianFilter(length: 1)
        #expect(filter.update(SIMD4(1, 2, 3, 4)) == SIMD4(1, 2, 3, 4))
        #expect(MedianFilter(length: 4).length == 1)
    }

    @Test func medianOfFiveMatchesSorting() async {
        await propertyCheck(input: Gen.double(in: -100...100).array(of: 5)) { values in
            let got = MedianFilter.median5(
                SIMD4(repeating: values[0]), SIMD4(repeating: values[1]), SIMD4(repeating: values[2]),
                SIMD4(repeating: values[3]), SIMD4(repeating: values[4]))
            #expect(got[0] == values.sorted()[2])
        }
    }

    @Test(arguments: [3, 5]) func runningMedianMatchesSortingTheWindow(length: Int) async {
        await propertyCheck(input: Gen.double(in: -100...100).array(of: 5...60)) { values in
            var filter = MedianFilter(length: length)
            for (i, x) in values.enumerated() {
                let got = filter.update(SIMD4(x, -x, 2 * x, 0))
                guard i >= length - 1 else { continue }
                let window = values[(i - length + 1)...i].sorted()
                let expected = window[length / 2]
                #expect(got == SIMD4(expected, -expected, 2 * expected, 0))
            }
        }
    }

    @Test func lanesAreIndependent() {
        var filter = MedianFilter(length: 3)
        _ = filter.update(SIMD4(1, 100, 5, 0))
        _ = filter.update(SIMD4(2, 0, 5, 0))
        #expect(filter.update(SIMD4(3, 50, 900, 0)) == SIMD4(2, 50, 5, 0))
    }
}
