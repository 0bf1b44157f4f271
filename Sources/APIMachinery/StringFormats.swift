import KubeModel

/// The string `format`s the API server validates custom resources against (kube-openapi's
/// strfmt registry, limited to the formats Kubernetes supports).
enum StringFormats {
    private static let supported: Set<String> = [
        "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4",
        "uuid5", "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password",
        "date", "duration", "datetime",
    ]

    /// Format names are compared without dashes (`date-time` is `datetime`), as go-openapi does.
    static func normalized(_ format: String) -> String { format.replacing("-", with: "") }

    static func isSupported(_ format: String) -> Bool { supported.contains(normalized(format)) }

    private static let hostnamePattern = try! SchemaPattern(
        #"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$"#)
    private static let uuidPattern = try! SchemaPattern(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$"#)
    private static let uuid3Pattern = try! SchemaPattern(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$"#)
    private static let uuid4Pattern = try! SchemaPattern(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"#)
    private static let uuid5Pattern = try! SchemaPattern(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"#)
    private static let base64Pattern = try! SchemaPattern(#"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$"#)
    private static let timePattern = try! SchemaPattern(#"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$"#)
    private static let hexColorPattern = try! SchemaPattern(#"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"#)
    private static let rgbColorPattern = try! SchemaPattern(
        #"^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$"#)
    private static let ssnPattern = try! SchemaPattern(#"^\d{3}[- ]?\d{2}[- ]?\d{4}$"#)
    private static let objectIDPattern = try! SchemaPattern(#"^[0-9a-fA-F]{24}$"#)
    private static let durationPattern = try! SchemaPattern(
        #"^(?:[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+|0|[0-9]+\s*(?:ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?))$"#)

    /// Whether `text` is valid for `format`; nil for a format not checked here.
    static func validates(_ format: String, _ text: String) -> Bool? {
        switch normalized(format) {
        case "datetime": return isDateTime(text)
        case "date": return isDate(text)
        case "byte": return base64Pattern.matches(text)
        case "uuid": return uuidPattern.matches(text)
        case "uuid3": return uuid3Pattern.matches(text)
        case "uuid4": return uuid4Pattern.matches(text)
        case "uuid5": return uuid5Pattern.matches(text)
        case "ipv4": return isIPv4(text)
        case "ipv6": return text.contains(":") && isIPv6(text)
        case "cidr": return isCIDR(text)
        case "mac": return isMAC(text)
        case "hostname":
            return hostnamePattern.matches(text) && text.utf8.count <= 255
                && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 63 }
        case "email": return isEmail(text)
        case "uri": return isRequestURI(text)
        case "duration": return durationPattern.matches(text)
        case "hexcolor": return hexColorPattern.matches(text)
        case "rgbcolor": return rgbColorPattern.matches(text)
        case "ssn": return ssnPattern.matches(text)
        case "bsonobjectid": return objectIDPattern.matches(text)
        case "password": return true
        default: return nil
        }
    }

    /// A full-date then `T` (any case) then a time with seconds and a zone, as strfmt.IsDateTime.
    static func isDateTime(_ text: String) -> Bool {
        guard text.utf8.count >= 4 else { return false }
        let parts = text.lowercased().split(separator: "t", omittingEmptySubsequences: false)
        guard parts.count >= 2, isDate(String(parts[0])) else { return false }
        let time = String(parts[1])
        guard timePattern.matches(time) else { return false }
        let fields = time.split(separator: ":")
        guard fields.count >= 3 else { return false }
        return fields[0] <= "23" && fields[1] <= "59" && String(fields[2].prefix(2)) <= "59"
    }

    /// `YYYY-MM-DD` with a real day of a real month.
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && Int(part)! <= 255
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        var body = Substring(text)
        var groupsAllowed = 8
        // An embedded IPv4 tail takes the room of two groups.
        if let lastColon = body.lastIndex(of: ":"), body[body.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(body[body.index(after: lastColon)...])) else { return false }
            body = body[...lastColon]
            if body.hasSuffix(":") && !body.hasSuffix("::") { body = body.dropLast() }
            groupsAllowed = 6
        }
        let halves = body.split(onText: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: Substring) -> [Substring]? {
            if part.isEmpty { return [] }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            return items.allSatisfy { !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isHexDigit) } ? items : nil
        }
        guard let head = groups(halves[0]) else { return false }
        if halves.count == 1 { return head.count == groupsAllowed }
        guard let tail = groups(halves[1]) else { return false }
        return head.count + tail.count < groupsAllowed
    }

    static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let bits = Int(parts[1]) else { return false }
        let address = String(parts[0])
        if isIPv4(address) { return bits <= 32 }
        return isIPv6(address) && bits <= 128
    }

    static func isMAC(_ text: String) -> Bool {
        for separator: Character in [":", "-"] {
            let groups = text.split(separator: separator, omittingEmptySubsequences: false)
            if [6, 8, 20].contains(groups.count), groups.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) {
                return true
            }
        }
        let dotted = text.split(separator: ".", omittingEmptySubsequences: false)
        return [3, 4, 10].contains(dotted.count) && dotted.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
    }

    static func isEmail(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        return !local.isEmpty && !domain.isEmpty && !text.contains(where: { $0 == " " || $0 == "\n" })
    }

    /// An absolute URI (`scheme:...`) or an absolute path, as url.ParseRequestURI accepts.
    static func isRequestURI(_ text: String) -> Bool {
        if text.hasPrefix("/") { return true }
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        return scheme.first!.isLetter && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Substring {
    func split(onText separator: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = self
        while let range = rest.firstRange(of: separator) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}

/// Formats Kubernetes keeps for validation (others are ignored, as the API server strips them).
enum SchemaFormatSupport {
    static func effectiveFormat(of node: SchemaNode) -> String? {
        guard let format = node.format, !format.isEmpty else { return nil }
        switch node.type ?? "" {
        case "", "string":
            return StringFormats.isSupported(format) ? format : nil
        case "integer":
            return format == "int32" || format == "int64" ? format : nil
        case "number":
            return format == "float" || format == "double" ? format : nil
        default:
            return nil
        }
    }
}
