/// A Kubernetes resource quantity (`100m`, `1.5Gi`, `1e3`) held exactly as
/// `mantissa × 10^exponent`, parsed as `resource.ParseQuantity` reads it: a signed decimal and one
/// suffix — binary (Ki…Ei), decimal (n, u, m, k, M…E) or an exponent (`e3`, `E-2`). Shared by
/// sidecar resource annotations and CEL's quantity library.
public struct ResourceQuantity: Sendable, Hashable {
    public let mantissa: Int64
    public let exponent: Int

    public static func == (lhs: ResourceQuantity, rhs: ResourceQuantity) -> Bool { lhs.compare(rhs) == 0 }
    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.mantissa)
        hasher.combine(canonical.exponent)
    }

    private static let binary: [String: Int64] = ["Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40, "Pi": 1 << 50, "Ei": 1 << 60]
    private static let decimal: [String: Int] = ["n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]

    /// Nil when `text` is not a quantity. Mantissas beyond 18 significant digits are refused.
    public init?(_ text: String) {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, number.contains(where: \.isNumber) else { return nil }
        let suffix = String(rest.dropFirst(number.count))
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        var exponent = -(parts.count > 1 ? parts[1].count : 0)
        while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst() }
        // Trailing zeros beyond Int64 precision are folded into the exponent.
        while digits.count > 18 && digits.hasSuffix("0") {
            digits.removeLast()
            exponent += 1
        }
        guard var mantissa = Int64(digits) else { return nil }
        if let factor = Self.binary[suffix] {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            mantissa = product
        } else if let power = Self.decimal[suffix] {
            exponent += power
        } else if let marker = suffix.first, marker == "e" || marker == "E", let power = Int(suffix.dropFirst()), abs(power) < 1000 {
            exponent += power
        } else {
            return nil
        }
        self = ResourceQuantity(mantissa: negative ? -mantissa : mantissa, exponent: exponent).normalized
    }

    public init(mantissa: Int64, exponent: Int) {
        self.mantissa = mantissa
        self.exponent = exponent
    }

    public init(integer: Int64) {
        self.init(mantissa: integer, exponent: 0)
    }

    private var normalized: ResourceQuantity {
        var mantissa = self.mantissa
        var exponent = self.exponent
        if mantissa == 0 { return ResourceQuantity(mantissa: 0, exponent: 0) }
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        return ResourceQuantity(mantissa: mantissa, exponent: exponent)
    }

    /// The value as a Double; exact powers of ten keep common values (`100m`, `1.5`) exact.
    public var approximate: Double {
        var scale = 1.0
        for _ in 0..<min(abs(exponent), 308) { scale *= 10 }
        return exponent >= 0 ? Double(mantissa) * scale : Double(mantissa) / scale
    }

    /// The integer value, or nil when fractional or beyond Int64.
    public var integer: Int64? {
        guard exponent >= 0 else { return nil }
        var value = mantissa
        for _ in 0..<exponent {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = product
        }
        return value
    }

    /// Both mantissas scaled to the smaller exponent, or nil on overflow.
    private func aligned(with other: ResourceQuantity) -> (Int64, Int64)? {
        let common = min(exponent, other.exponent)
        func scale(_ value: ResourceQuantity) -> Int64? {
            var result = value.mantissa
            for _ in 0..<(value.exponent - common) {
                let (product, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                result = product
            }
            return result
        }
        guard let a = scale(self), let b = scale(other) else { return nil }
        return (a, b)
    }

    /// -1, 0 or 1.
    public func compare(_ other: ResourceQuantity) -> Int {
        if let (a, b) = aligned(with: other) { return a < b ? -1 : (a == b ? 0 : 1) }
        let a = approximate
        let b = other.approximate
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    /// The sum, or nil when it does not fit.
    public func adding(_ other: ResourceQuantity) -> ResourceQuantity? {
        guard let (a, b) = aligned(with: other) else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { return nil }
        return ResourceQuantity(mantissa: sum, exponent: min(exponent, other.exponent)).normalized
    }

    public var negated: ResourceQuantity? {
        mantissa == .min ? nil : ResourceQuantity(mantissa: -mantissa, exponent: exponent)
    }
}
