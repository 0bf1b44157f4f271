import Testing
import APIMachinery

@Suite struct RFC3339FormatTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (Int64(951_782_400), "2000-02-29T00:00:00Z"),
        (Int64(1_795_305_599), "2026-11-21T23:59:59Z"),
        (Int64(-1), "1969-12-31T23:59:59Z"),
        (Int64(4_107_542_400), "2100-03-01T00:00:00Z"),
    ])
    func formatsAsKubernetesWritesTimes(seconds: Int64, text: String) {
        #expect(RFC3339.format(secondsSinceEpoch: seconds) == text)
        #expect(RFC3339.secondsSinceEpoch(text) == Double(seconds))
    }
}
