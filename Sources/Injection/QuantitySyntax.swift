/// Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1e3`, `2G`), as the API server's
/// `resource.ParseQuantity` reads them: a non-negative decimal and at most one suffix — a
/// binary one (Ki…Ei), a decimal one (n, u, m, k, M…E) or an exponent (`e3`, `E-2`).
/// Checked at injection so a bad annotation is refused naming the annotation, not later as
/// an invalid `causeway-proxy` container the user never wrote.
enum QuantitySyntax {
    private static let binary: [String: Double] = [
        "Ki": 0x1p10, "Mi": 0x1p20, "Gi": 0x1p30, "Ti": 0x1p40, "Pi": 0x1p50, "Ei": 0x1p60,
    ]
    private static let decimal: [String: Double] = [
        "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    ]

    /// The quantity's value in base units (cores, bytes), or nil when `text` is not a quantity.
    /// A `Double` is exact enough to compare a request with a limit.
    static func value(_ text: String) -> Double? {
        var rest = Substring(text)
        if rest.first == "+" { rest = rest.dropFirst() }
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let digits = number.filter { $0 != "." }
        guard !digits.isEmpty, number.count(where: { $0 == "." }) <= 1, let mantissa = Double(number.hasPrefix(".") ? "0" + number : number)
        else { return nil }
        let suffix = String(rest.dropFirst(number.count))
        if let factor = binary[suffix] ?? decimal[suffix] { return mantissa * factor }
        // An exponent: e or E, an optional sign, digits.
        guard let marker = suffix.first, marker == "e" || marker == "E" else { return nil }
        var exponent = suffix.dropFirst()
        let negative = exponent.first == "-"
        if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
        guard !exponent.isEmpty, exponent.count <= 3, exponent.allSatisfy({ $0.isASCII && $0.isNumber }), let power = Int(exponent) else {
            return nil
        }
        var scale = 1.0
        for _ in 0..<power { scale *= 10 }
        return negative ? mantissa / scale : mantissa * scale
    }
}
