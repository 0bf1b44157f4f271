import KubeModel

/// Renders values the way the Go API server prints them in messages (`%v`, `%q`, `json.Marshal`),
/// so that error text compares byte for byte with the real kube-apiserver.
enum GoFormatting {
    /// Go's `%v` for a float64: shortest digits, exponent form when the decimal exponent is < -4
    /// or >= 6 (strconv's 'g' with shortest precision), so 1e6 prints as `1e+06`.
    static func float(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (negative, digits, pointPosition) = decimalDigits(of: value)
        let exponent = pointPosition - 1
        let sign = negative ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            let exponentDigits = magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
            return "\(sign)\(mantissa)e\(exponent < 0 ? "-" : "+")\(exponentDigits)"
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The shortest round-trip decimal digits of `value` (no leading/trailing zeros) and where the
    /// decimal point goes: value = 0.digits × 10^pointPosition.
    static func decimalDigits(of value: Double) -> (negative: Bool, digits: String, pointPosition: Int) {
        // Swift's description is the shortest round-trip representation; only its layout varies.
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var integerPart = text
        var fractionPart = ""
        if let dot = text.firstIndex(of: ".") {
            integerPart = String(text[..<dot])
            fractionPart = String(text[text.index(after: dot)...])
        }
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" { digits.removeFirst(); pointPosition -= 1 }
        while digits.last == "0" { digits.removeLast() }
        if digits.isEmpty { digits = "0"; pointPosition = 1 }
        return (value < 0, digits, pointPosition)
    }

    /// Go's `strconv.Quote` / `%q`.
    static func quote(_ text: String) -> String { GoQuote.quote(text) }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Go's `json.Marshal` of a decoded JSON value: sorted keys, compact, and `<`, `>`, `&`
    /// escaped as Go's encoder does by default.
    static func json(_ value: JSONValue) -> String {
        var out = ""
        writeJSON(value, to: &out)
        return out
    }

    private static func writeJSON(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += jsonFloat(d)
        case .string(let s): out += jsonString(s)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                writeJSON(item, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                out += jsonString(key) + ":"
                writeJSON(members[key]!, to: &out)
            }
            out += "}"
        }
    }

    /// Go's encoding/json float format: plain decimal for 1e-6 <= |x| < 1e21, exponent otherwise.
    static func jsonFloat(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        let (negative, digits, pointPosition) = decimalDigits(of: value)
        let sign = negative ? "-" : ""
        if magnitude < 1e-6 || magnitude >= 1e21 {
            let exponent = pointPosition - 1
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = abs(exponent)
            return "\(sign)\(mantissa)e\(exponent < 0 ? "-" : "+")\(e < 10 ? "0\(e)" : "\(e)")"
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex(scalar.value, width: 4)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// How a field error prints its bad value: `%v` for numbers and booleans, `%q` for strings,
    /// JSON for everything else (Go's field.Error.ErrorBody).
    static func badValue(_ value: JSONValue) -> String {
        switch value {
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return quote(s)
        default: return json(value)
        }
    }

    /// Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`, strings bare, null as `<nil>`.
    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .string(let s): return s
        case .array(let items): return "[" + items.map { Self.value($0) }.joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.keys.sorted().map { "\($0):\(Self.value(members[$0]!))" }.joined(separator: " ") + "]"
        }
    }
}
