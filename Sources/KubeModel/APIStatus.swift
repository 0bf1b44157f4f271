/// `meta.k8s.io/v1` `Status`: what the API server answers on every error.
/// Field names follow the Kubernetes API reference exactly.
public struct APIStatus: Codable, Sendable, Equatable, Error {
    public struct Cause: Codable, Sendable, Equatable {
        public var reason: String?
        public var message: String?
        public var field: String?
        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public struct Details: Codable, Sendable, Equatable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?
        public init(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
                    causes: [Cause]? = nil, retryAfterSeconds: Int? = nil) {
            self.name = name
            self.group = group
            self.kind = kind
            self.uid = uid
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    public var kind: String = "Status"
    public var apiVersion: String = "v1"
    /// "Success" or "Failure".
    public var status: String
    public var message: String?
    /// A StatusReason such as "NotFound", "AlreadyExists", "Conflict", "Invalid".
    public var reason: String?
    public var details: Details?
    public var code: Int

    public init(status: String = "Failure", message: String?, reason: String?, details: Details? = nil, code: Int) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }
}

extension APIStatus {
    /// The JSON the API server writes: `metadata: {}` included, as the real one does.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]),
            "status": .string(status), "code": .int(Int64(code)),
        ]
        if let message { object["message"] = .string(message) }
        if let reason { object["reason"] = .string(reason) }
        if let details {
            var d: [String: JSONValue] = [:]
            if let name = details.name { d["name"] = .string(name) }
            if let group = details.group { d["group"] = .string(group) }
            if let kind = details.kind { d["kind"] = .string(kind) }
            if let uid = details.uid { d["uid"] = .string(uid) }
            if let retry = details.retryAfterSeconds { d["retryAfterSeconds"] = .int(Int64(retry)) }
            if let causes = details.causes {
                d["causes"] = .array(causes.map { cause in
                    var c: [String: JSONValue] = [:]
                    if let reason = cause.reason { c["reason"] = .string(reason) }
                    if let message = cause.message { c["message"] = .string(message) }
                    if let field = cause.field { c["field"] = .string(field) }
                    return .object(c)
                })
            }
            object["details"] = .object(d)
        }
        return .object(object)
    }
}
