/// A `RequestMirror` filter, resolved: which backend gets the copy and how often.
public struct CompiledMirror: Sendable, Hashable {
    public let backendName: String
    /// Index into `CompiledConfig.backends`.
    public let backendIndex: Int?
    /// Mirror `numerator` out of every `denominator` requests.
    public let numerator: UInt64
    public let denominator: UInt64

    init(_ filter: HTTPRequestMirrorFilter, backendIndex: [String: Int]) {
        backendName = filter.backend
        self.backendIndex = backendIndex[filter.backend]
        if let percent = filter.percent {
            numerator = UInt64(max(percent, 0))
            denominator = 100
        } else if let fraction = filter.fraction, fraction.denominator > 0 {
            numerator = UInt64(max(fraction.numerator, 0))
            denominator = UInt64(fraction.denominator)
        } else {
            numerator = 1
            denominator = 1
        }
    }

    /// Whether this request is mirrored, given a uniformly random number from the caller.
    public func shouldMirror(random: UInt64) -> Bool {
        guard backendIndex != nil, numerator > 0 else { return false }
        return numerator >= denominator || random % denominator < numerator
    }
}
