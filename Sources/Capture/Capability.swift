/// The capabilities init needs, as numbered in linux/capability.h.
public enum Capability: Int, Sendable, CustomStringConvertible {
    case netAdmin = 12
    case netRaw = 13

    public var description: String { self == .netAdmin ? "CAP_NET_ADMIN" : "CAP_NET_RAW" }

    /// The effective set from the `CapEff:` line of /proc/self/status; nil when absent.
    public static func effective(procStatus: String) -> UInt64? {
        for line in procStatus.split(whereSeparator: \.isNewline) where line.hasPrefix("CapEff:") {
            return UInt64(line.dropFirst("CapEff:".count).trimmingCharacters, radix: 16)
        }
        return nil
    }

    public func isIn(_ set: UInt64) -> Bool { set & (1 << UInt64(rawValue)) != 0 }
}

extension Substring {
    fileprivate var trimmingCharacters: String { String(self).trimmingSpaces }
}
