import Testing
@testable import Controller

@Suite("Reconcile debounce")
struct LeadingEdgeDebounceTests {
    @Test("a change after a quiet spell goes at once; changes close behind it wait out the window")
    func leadingEdge() {
        let debounce = LeadingEdgeDebounce(window: .milliseconds(100))
        let start = ContinuousClock.now
        #expect(debounce.delay(at: start) == .zero, "the first change")
        #expect(debounce.delay(at: start + .milliseconds(10)) == .milliseconds(100), "a burst: merged")
        #expect(debounce.delay(at: start + .milliseconds(90)) == .milliseconds(100), "still the burst")
        #expect(debounce.delay(at: start + .milliseconds(300)) == .zero, "quiet for longer than the window")
    }
}
