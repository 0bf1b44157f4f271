/// A duration in the Gateway API format (GEP-2257): one to four `<number><unit>` parts, each
/// number up to five digits, units `h`, `m`, `s`, `ms` — e.g. `"10s"`, `"1h30m"`, `"500ms"`, `"0s"`.
///
/// Kept as milliseconds, encoded back as the canonical string, so two spellings of the same
/// duration (`"60s"`, `"1m"`) compare equal.
public struct GatewayDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func seconds(_ s: Int64) -> GatewayDuration { GatewayDuration(milliseconds: s * 1000) }

    /// Parses the GEP-2257 form; `nil` when `text` does not follow it.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var total: Int64 = 0
        var parts = 0
        var index = 0
        while index < bytes.count {
            var digits = 0
            var number: Int64 = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                number = number * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard (1...5).contains(digits), index < bytes.count else { return nil }
            let unitMillis: Int64
            switch bytes[index] {
            case UInt8(ascii: "h"): unitMillis = 3_600_000; index += 1
            case UInt8(ascii: "s"): unitMillis = 1000; index += 1
            case UInt8(ascii: "m"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "s") {
                    unitMillis = 1; index += 2
                } else {
                    unitMillis = 60_000; index += 1
                }
            default: return nil
            }
            total += number * unitMillis
            parts += 1
            guard parts <= 4 else { return nil }
        }
        self.milliseconds = total
    }

    /// Canonical GEP-2257 spelling: largest units first, zero parts omitted, `"0s"` for zero.
    public var description: String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000), ("ms", 1)] {
            let count = rest / size
            rest %= size
            if count > 0 { text += "\(count)\(unit)" }
        }
        return text
    }

    /// The value as a standard-library `Duration`, for timers.
    public var duration: Duration { .milliseconds(milliseconds) }

    public static func < (lhs: GatewayDuration, rhs: GatewayDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

extension GatewayDuration: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = GatewayDuration(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a Gateway API duration (GEP-2257), e.g. \"10s\", \"1h30m\", \"500ms\"")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
