/// A URL as Kubernetes' CEL URL library reads it: absolute (`scheme://...`) or an absolute path,
/// as the library requires of Go's `url.Parse` result.
struct URLValue: CELOpaqueValue, Equatable {
    let text: String
    let scheme: String
    let host: String
    let escapedPath: String
    let rawQuery: String

    var typeName: String { "kubernetes.URL" }

    func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? URLValue) == self }

    static func parse(_ text: String) -> URLValue? {
        guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return nil }
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var rawQuery = ""
        if let question = rest.firstIndex(of: "?") {
            rawQuery = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter {
            let candidate = rest[..<colon]
            if candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
                scheme = String(candidate)
                rest = rest[rest.index(after: colon)...]
            }
        }
        var host = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            host = String(authority)
            guard isValidHost(host) else { return nil }
        } else if scheme.isEmpty && !rest.hasPrefix("/") {
            return nil
        }
        if scheme.isEmpty && !rest.hasPrefix("/") { return nil }
        return URLValue(text: text, scheme: scheme, host: host, escapedPath: String(rest), rawQuery: rawQuery)
    }

    private static func isValidHost(_ host: String) -> Bool {
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let after = host[host.index(after: close)...]
            return after.isEmpty || (after.hasPrefix(":") && after.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
        }
        let parts = host.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.count == 1 || parts[1].allSatisfy { $0.isASCII && $0.isNumber }
    }

    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        return String(host.split(separator: ":", omittingEmptySubsequences: false).first ?? "")
    }

    var port: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            return after.hasPrefix(":") ? String(after.dropFirst()) : ""
        }
        let parts = host.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[1]) : ""
    }

    /// Go's `url.ParseQuery`: `&`-separated pairs, `+` as a space, percent-decoding.
    var query: [(String, [String])] {
        var result: [(String, [String])] = []
        for pair in rawQuery.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.unescape(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.unescape(parts[1]) ?? "" : ""
            if let index = result.firstIndex(where: { $0.0 == key }) {
                result[index].1.append(value)
            } else {
                result.append((key, [value]))
            }
        }
        return result
    }

    private static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
