import KubeModel

/// Kubernetes name, label and annotation rules, with the API server's messages.
public enum NameValidation {
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let labelKeyFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFormat = "(" + labelKeyFormat + ")?"
    /// The limit on the summed size of an object's annotation keys and values.
    public static let totalAnnotationSizeLimit = 256 * 1024

    // MARK: Messages (content.RegexError and friends)

    /// The length message of label keys and values (`content.MaxLenError`).
    static func maxLengthError(_ length: Int) -> String { "must be no more than \(length) bytes" }
    /// The length message of object names and config keys (`validation.MaxLenError`).
    static func maxCharactersError(_ length: Int) -> String { "must be no more than \(length) characters" }
    static let emptyError = "must be non-empty"

    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        guard !examples.isEmpty else { return message + " (regex used for validation is '" + format + "')" }
        return message + " (e.g. " + examples.map { "'\($0)', " }.joined(separator: " or ") + "regex used for validation is '" + format + "')"
    }

    // MARK: Character rules

    private static func isLowerAlphanumeric(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        isLowerAlphanumeric(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func isDNS1123Label(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
            && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    static func isDNS1123Subdomain(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy(isDNS1123Label)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func isLabelKeyName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    // MARK: Public checks

    /// Messages for a name that is not a DNS-1123 subdomain (most object names); empty when valid.
    public static func dns1123Subdomain(_ name: String) -> [String] {
        dns1123Subdomain(name, lengthError: maxCharactersError)
    }

    static func dns1123Subdomain(_ name: String, lengthError: (Int) -> String) -> [String] {
        var errors: [String] = []
        if name.utf8.count > 253 { errors.append(lengthError(253)) }
        if !isDNS1123Subdomain(name) {
            errors.append(regexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                dns1123SubdomainFormat, ["example.com"]))
        }
        return errors
    }

    /// Messages for a name that is not a DNS-1123 label (namespaces, Services' ports...); empty when valid.
    public static func dns1123Label(_ name: String) -> [String] {
        var errors: [String] = []
        if name.utf8.count > 63 { errors.append(maxCharactersError(63)) }
        if !isDNS1123Label(Array(name.utf8)[...]) {
            if isDNS1123Subdomain(name) {
                errors.append("must not contain dots")
            } else {
                errors.append(regexError(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                    dns1123LabelFormat, ["my-name", "123-abc"]))
            }
        }
        return errors
    }

    /// Messages for a name that is not a DNS-1035 label (Service names); empty when valid.
    public static func dns1035Label(_ name: String) -> [String] {
        var errors: [String] = []
        if name.utf8.count > 63 { errors.append(maxCharactersError(63)) }
        let bytes = Array(name.utf8)
        let valid = isDNS1123Label(bytes[...]) && bytes.first.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") } == true
        if !valid {
            errors.append(regexError(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                dns1035LabelFormat, ["my-name", "abc-123"]))
        }
        return errors
    }

    /// Messages for an invalid ConfigMap or Secret key; empty when valid.
    public static func configMapKey(_ key: String) -> [String] {
        var errors: [String] = []
        if key.utf8.count > 253 { errors.append(maxCharactersError(253)) }
        let valid = !key.isEmpty && key.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") }
        if !valid {
            errors.append(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                     "[-._a-zA-Z0-9]+", ["key.name", "KEY_NAME", "key-name"]))
        }
        if key == "." {
            errors.append("must not be '.'")
        } else if key == ".." {
            errors.append("must not be '..'")
        } else if key.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// Messages for a name that must be a URL path segment: not `.` or `..`, no `/` or `%`.
    public static func pathSegmentName(_ name: String, prefix: Bool = false) -> [String] {
        if !prefix && (name == "." || name == "..") { return ["may not be '\(name)'"] }
        var errors: [String] = []
        for forbidden in ["/", "%"] where name.contains(forbidden) {
            errors.append("may not contain '\(forbidden)'")
        }
        return errors
    }

    /// Messages for a label key or other qualified name (`[prefix/]name`); empty when valid.
    public static func qualifiedName(_ value: String) -> [String] {
        let keyMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        let keyExamples = ["MyName", "my.name", "123-abc"]
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: String
        switch parts.count {
        case 1:
            name = value
        case 2:
            let prefix = String(parts[0])
            name = String(parts[1])
            if prefix.isEmpty {
                errors.append("prefix part " + emptyError)
            } else {
                errors.append(contentsOf: dns1123Subdomain(prefix, lengthError: maxLengthError).map { "prefix part " + $0 })
            }
        default:
            return ["a valid label key " + regexError(keyMessage, labelKeyFormat, keyExamples)
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part " + emptyError)
        } else if name.utf8.count > 63 {
            errors.append("name part " + maxLengthError(63))
        }
        if !isLabelKeyName(name) {
            errors.append("name part " + regexError(keyMessage, labelKeyFormat, keyExamples))
        }
        return errors
    }

    /// Messages for an invalid label value; empty when valid.
    public static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLengthError(63)) }
        if !value.isEmpty && !isLabelKeyName(value) {
            errors.append(regexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                labelValueFormat, ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    /// Validates `metadata.labels`: every key a qualified name, every value a label value.
    /// Non-string values are type errors.
    public static func validateLabels(_ labels: JSONValue?, field: String) -> [FieldError] {
        guard let labels, !labels.isNull else { return [] }
        guard case .object(let members) = labels else {
            return [.typeInvalid(field, labels, "must be of type object")]
        }
        var errors: [FieldError] = []
        for key in members.keys.sorted() {
            errors.append(contentsOf: qualifiedName(key).map { FieldError.invalid(field, .string(key), $0) })
            guard case .string(let value) = members[key]! else {
                errors.append(.typeInvalid("\(field)[\(key)]", members[key]!, "must be of type string"))
                continue
            }
            errors.append(contentsOf: labelValue(value).map { FieldError.invalid(field, .string(value), $0) })
        }
        return errors
    }

    /// Validates `metadata.annotations`: keys as qualified names (any case), total size at most 256 KiB.
    public static func validateAnnotations(_ annotations: JSONValue?, field: String) -> [FieldError] {
        guard let annotations, !annotations.isNull else { return [] }
        guard case .object(let members) = annotations else {
            return [.typeInvalid(field, annotations, "must be of type object")]
        }
        var errors: [FieldError] = []
        var totalSize = 0
        for key in members.keys.sorted() {
            errors.append(contentsOf: qualifiedName(key.lowercased()).map { FieldError.invalid(field, .string(key), $0) })
            totalSize += key.utf8.count
            guard case .string(let value) = members[key]! else {
                errors.append(.typeInvalid("\(field)[\(key)]", members[key]!, "must be of type string"))
                continue
            }
            totalSize += value.utf8.count
        }
        if totalSize > totalAnnotationSizeLimit {
            errors.append(.tooLong(field, maxBytes: totalAnnotationSizeLimit))
        }
        return errors
    }
}
