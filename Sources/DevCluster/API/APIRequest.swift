import KubeModel

/// A request as the API logic sees it, independent of the transport.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The authenticated user name, or nil for an anonymous request.
    public var user: String?

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
                body: [UInt8] = [], user: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.user = user
    }

    /// Splits a request target into path and decoded query parameters (first value wins).
    public static func splitTarget(_ target: String) -> (path: String, query: [String: String]) {
        guard let mark = target.firstIndex(of: "?") else { return (percentDecoded(target), [:]) }
        let path = String(target[..<mark])
        var query: [String: String] = [:]
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let key = percentDecoded(parts[0], plusIsSpace: true)
            if query[key] == nil { query[key] = parts.count > 1 ? percentDecoded(parts[1], plusIsSpace: true) : "" }
        }
        return (percentDecoded(path), query)
    }

    static func percentDecoded(_ text: some StringProtocol, plusIsSpace: Bool = false) -> String {
        guard text.contains("%") || (plusIsSpace && text.contains("+")) else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What the API logic answers: a whole body, or a watch stream the transport keeps open.
public enum APIResponse: Sendable {
    case body(status: Int, contentType: String, bytes: [UInt8], warnings: [String])
    case watch(WatchPlan)

    static func json(_ status: Int, _ value: JSONValue, warnings: [String] = []) -> APIResponse {
        .body(status: status, contentType: "application/json", bytes: value.serialized(), warnings: warnings)
    }

    static func failure(_ status: APIStatus) -> APIResponse {
        .body(status: status.code, contentType: "application/json", bytes: status.json.serialized(), warnings: [])
    }
}
