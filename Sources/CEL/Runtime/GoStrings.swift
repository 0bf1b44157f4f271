// cel-go prints doubles with Go's strconv; this reproduces the form `string()` shows
// (quoting is KubeModel's GoQuote, shared with the API server's messages).

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which cel-go uses for `string(double)`.
enum GoFloat {
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift prints the shortest round-tripping digits; rearrange them the way %g does.
        let description = "\(value.magnitude)"
        var digits = ""
        var exponent = 0
        let parts = description.split(separator: "e")
        let mantissa = parts[0]
        let explicitExponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(pieces[0])
        let fractionPart = pieces.count > 1 ? String(pieces[1]) : ""
        digits = integerPart + fractionPart
        exponent = integerPart.count + explicitExponent
        let leadingZeros = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leadingZeros)
        exponent -= leadingZeros
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { digits = "0" }
        let decimalExponent = exponent - 1
        let sign = value < 0 ? "-" : ""
        if decimalExponent < -4 || decimalExponent >= 6 {
            var text = String(digits.first!)
            if digits.count > 1 { text += "." + digits.dropFirst() }
            let magnitude = abs(decimalExponent)
            text += (decimalExponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
            return sign + text
        }
        if exponent <= 0 {
            return sign + "0." + String(repeating: "0", count: -exponent) + digits
        }
        if exponent >= digits.count {
            return sign + digits + String(repeating: "0", count: exponent - digits.count)
        }
        return sign + digits.prefix(exponent) + "." + digits.dropFirst(exponent)
    }
}
