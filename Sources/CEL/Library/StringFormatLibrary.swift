/// `format()` from cel-go's strings extension: `"%s is %d".format([name, count])`, with the
/// verbs `%s`, `%d`, `%f`/`%.Nf`, `%e`, `%x`, `%X`, `%o`, `%b` and `%%`.
enum StringFormatLibrary {
    static let functions: [CELFunction] = [
        CELFunction("format", [.member([.string, .list(.dyn)], .string)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let template) = arguments[0], case .list(let values) = arguments[1] else { throw .noSuchOverload }
            return .string(try format(template, values.elements))
        },
    ]

    static func format(_ template: String, _ values: [CELValue]) throws(CELError) -> String {
        var output = ""
        var next = 0
        var characters = Array(template)[...]
        while let character = characters.popFirst() {
            guard character == "%" else {
                output.append(character)
                continue
            }
            var precision: Int?
            if characters.first == "." {
                characters = characters.dropFirst()
                let digits = characters.prefix { $0.isNumber }
                precision = Int(String(digits))
                characters = characters.dropFirst(digits.count)
            }
            guard let verb = characters.popFirst() else { throw CELError("could not parse formatting clause: unterminated clause") }
            if verb == "%" {
                output.append("%")
                continue
            }
            guard next < values.count else { throw CELError("index \(next) out of range") }
            let value = values[next]
            next += 1
            output += try clause(verb, precision: precision, value)
        }
        return output
    }

    private static func clause(_ verb: Character, precision: Int?, _ value: CELValue) throws(CELError) -> String {
        switch verb {
        case "s":
            if case .string(let text) = value { return text }
            if case .list(let list) = value {
                var parts: [String] = []
                for element in list.elements { parts.append(try clause("s", precision: nil, element)) }
                return "[" + parts.joined(separator: ", ") + "]"
            }
            guard let text = try? ConversionLibrary.functions.first(where: { $0.name == "string" })?.implementation([value]),
                  case .string(let converted) = text else { return value.description }
            return converted
        case "d":
            switch value {
            case .int(let number): return String(number)
            case .uint(let number): return String(number)
            default: throw CELError("error during formatting: decimal clause can only be used on integers, was given \(value.typeName)")
            }
        case "f", "e":
            let number: Double
            switch value {
            case .int(let integer): number = Double(integer)
            case .uint(let integer): number = Double(integer)
            case .double(let double): number = double
            default: throw CELError("error during formatting: fixed-point clause can only be used on doubles, was given \(value.typeName)")
            }
            return verb == "f" ? fixed(number, precision ?? 6) : scientific(number, precision ?? 6)
        case "x", "X", "o", "b":
            let radix = verb == "o" ? 8 : (verb == "b" ? 2 : 16)
            let text: String
            switch value {
            case .int(let number): text = (number < 0 ? "-" : "") + String(number.magnitude, radix: radix)
            case .uint(let number): text = String(number, radix: radix)
            case .string(let string) where radix == 16: text = string.utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            case .bytes(let bytes) where radix == 16: text = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            default: throw CELError("error during formatting: only integers, byte buffers, and strings can be formatted as hex, was given \(value.typeName)")
            }
            return verb == "X" ? text.uppercased() : text
        default:
            throw CELError("could not parse formatting clause: unrecognized formatting clause \"\(verb)\"")
        }
    }

    /// `%.Nf` with round-half-even on the decimal digits Swift prints.
    static func fixed(_ value: Double, _ precision: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        var scale = 1.0
        for _ in 0..<precision { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded(.toNearestOrEven)
        var digits = String(UInt64(min(scaled, 1.8e19)))
        if precision > 0 {
            if digits.count <= precision { digits = String(repeating: "0", count: precision - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -precision))
        }
        return (value < 0 && scaled != 0 ? "-" : "") + digits
    }

    static func scientific(_ value: Double, _ precision: Int) -> String {
        if !value.isFinite { return fixed(value, precision) }
        if value == 0 { return fixed(0, precision) + "e+00" }
        var exponent = 0
        var mantissa = value.magnitude
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        let sign = exponent < 0 ? "-" : "+"
        let magnitude = abs(exponent)
        return (value < 0 ? "-" : "") + fixed(mantissa, precision) + "e" + sign + (magnitude < 10 ? "0" : "") + String(magnitude)
    }
}
