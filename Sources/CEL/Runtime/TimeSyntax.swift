import KubeModel

/// Reading and writing CEL's time values: RFC 3339 timestamps with nanoseconds and Go duration
/// strings (`1h30m`, `1.5s`, `-300ms`), as cel-go's `timestamp()` and `duration()` accept them.
enum TimeSyntax {
    static func timestamp(_ text: String) -> CELTimestamp? {
        RFC3339.parse(text).map { CELTimestamp(seconds: $0.seconds, nanos: $0.nanos) }
    }

    /// RFC 3339 in UTC with as many fractional digits as needed, as cel-go prints timestamps.
    static func format(_ timestamp: CELTimestamp) -> String {
        let days = timestamp.seconds >= 0 ? timestamp.seconds / 86_400 : (timestamp.seconds - 86_399) / 86_400
        let secondOfDay = timestamp.seconds - days * 86_400
        let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if timestamp.nanos > 0 {
            var fraction = pad(Int64(timestamp.nanos), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    private static let unitNanos: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// A Go duration string in nanoseconds; nil when malformed or out of range.
    static func duration(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        var exact: Int64 = 0
        var exactValid = true
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.count(where: { $0 == "." }) <= 1 else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let (_, scale) = unitNanos.first(where: { $0.0 == unitText }), let value = Double(number) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * scale
            if !number.contains("."), let integer = Int64(number) {
                let (product, overflow) = integer.multipliedReportingOverflow(by: Int64(scale))
                let (sum, overflow2) = exact.addingReportingOverflow(product)
                if overflow || overflow2 { exactValid = false } else { exact = sum }
            } else {
                exactValid = false
            }
        }
        if exactValid { return negative ? -exact : exact }
        guard total < 9.223372036854775807e18 else { return nil }
        return negative ? -Int64(total.rounded()) : Int64(total.rounded())
    }

    /// Seconds with a fractional part and an `s`, as cel-go prints durations (`90s`, `1.5s`).
    static func format(duration nanos: Int64) -> String {
        let negative = nanos < 0
        let magnitude = nanos.magnitude
        var text = String(magnitude / 1_000_000_000)
        let fraction = magnitude % 1_000_000_000
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return (negative ? "-" : "") + text + "s"
    }
}
