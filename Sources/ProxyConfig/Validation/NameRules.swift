/// Format rules of the Gateway API's string types, checked without regular expressions.
enum NameRules {
    /// Gateway API `Hostname` (RFC 1123 lowercase labels, optional leading `*.`); `nil` when valid,
    /// else what is wrong. `allowWildcard: false` is `PreciseHostname`.
    static func hostnameProblem(_ name: String, allowWildcard: Bool = true) -> String? {
        guard !name.isEmpty else { return "must not be empty" }
        guard name.utf8.count <= 253 else { return "must be no more than 253 characters" }
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.first == "*" {
            guard allowWildcard else { return "must not be a wildcard" }
            guard labels.count > 1 else { return "a wildcard must be followed by a domain, as in \"*.example.com\"" }
            labels.removeFirst()
        }
        if labels.count == 4, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            return "must be a DNS name, not an IP address"
        }
        for label in labels {
            let bytes = Array(label.utf8)
            let ok =
                !bytes.isEmpty && bytes.count <= 63 && bytes.first != UInt8(ascii: "-") && bytes.last != UInt8(ascii: "-")
                && bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
            if !ok {
                return "must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                    + "with an alphanumeric character (e.g. \"example.com\"\(allowWildcard ? " or \"*.example.com\"" : ""))"
            }
        }
        return nil
    }

    /// Gateway API `SectionName` (rule and listener names): RFC 1123 labels of lower case
    /// alphanumerics and `-`, at most 253 characters.
    static func sectionNameProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "must not be empty" }
        guard name.utf8.count <= 253 else { return "must be no more than 253 characters" }
        if hostnameProblem(name, allowWildcard: false) != nil || name.contains(".") {
            return "must consist of lower case alphanumeric characters or '-', and must start and end with an "
                + "alphanumeric character"
        }
        return nil
    }

    /// Gateway API `HTTPHeaderName`: an RFC 9110 token of at most 256 characters.
    static func headerNameProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "must not be empty" }
        guard name.utf8.count <= 256 else { return "must be no more than 256 characters" }
        let extra = Array("!#$%&'*+-.^_`|~".utf8)
        guard name.utf8.allSatisfy({ isAlnum($0) || extra.contains($0) }) else {
            return "must be a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)"
        }
        return nil
    }

    /// A header value the proxy writes as configured: no control characters but HTAB (RFC 9110
    /// §5.5), so a value can never end the header line and smuggle another field or message.
    static func headerValueProblem(_ value: String) -> String? {
        guard value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
            return "must not contain control characters such as CR, LF or NUL"
        }
        return nil
    }

    /// The Gateway API rules for `Exact` and `PathPrefix` path values (its CEL messages).
    static func pathProblems(_ value: String) -> [String] {
        guard value.utf8.first == UInt8(ascii: "/") else {
            return ["value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"]
        }
        var problems: [String] = []
        let bytes = Array(value.utf8)
        for bad in ["//", "/./", "/../", "%2f", "%2F", "#"] where contains(bytes, Array(bad.utf8)) {
            problems.append("must not contain '\(bad)' when type one of ['Exact', 'PathPrefix']")
        }
        for bad in ["/..", "/."] where bytes.count >= bad.utf8.count && bytes.suffix(bad.utf8.count).elementsEqual(bad.utf8) {
            problems.append("must not end with '\(bad)' when type one of ['Exact', 'PathPrefix']")
        }
        if !pathCharactersValid(value) {
            problems.append(
                "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) "
                    + "for types ['Exact', 'PathPrefix']")
        }
        if value.utf8.count > 1024 { problems.append("must be no more than 1024 characters") }
        return problems
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= bytes.count else { return false }
        outer: for start in 0...(bytes.count - needle.count) {
            for i in 0..<needle.count where bytes[start + i] != needle[i] { continue outer }
            return true
        }
        return false
    }

    private static func pathCharactersValid(_ value: String) -> Bool {
        let allowed = Array("-/._~!$&'()*+,;=:@".utf8)
        let bytes = Array(value.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else { return false }
                i += 3
                continue
            }
            guard isAlnum(b) || allowed.contains(b) else { return false }
            i += 1
        }
        return true
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
    private static func isAlnum(_ b: UInt8) -> Bool {
        isLowerAlnum(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
    private static func isHex(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
            || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }
}
