import Foundation
import KubeModel

/// An error answered by the API server, decoded from its `Status`.
///
/// Compare errors by `code`; `message` is for a person and says what to do next.
public struct KubeAPIError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case notFound = "NotFound"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case invalid = "Invalid"
        case gone = "Gone"
        case forbidden = "Forbidden"
        case unauthorized = "Unauthorized"
        case tooManyRequests = "TooManyRequests"
        case badRequest = "BadRequest"
        case methodNotAllowed = "MethodNotAllowed"
        case notAcceptable = "NotAcceptable"
        case unsupportedMediaType = "UnsupportedMediaType"
        case requestEntityTooLarge = "RequestEntityTooLarge"
        case timeout = "Timeout"
        case internalError = "InternalError"
        case serviceUnavailable = "ServiceUnavailable"
        case serverError = "ServerError"
        case unknown = "Unknown"
    }

    public var code: Code
    /// The HTTP status code of the response.
    public var httpStatus: Int
    /// The server's `Status`, or one synthesized from the response when the body was not a Status.
    public var status: APIStatus
    /// The request that failed, e.g. `GET /api/v1/namespaces/default/pods/web`.
    public var request: String

    public init(httpStatus: Int, status: APIStatus, request: String) {
        self.httpStatus = httpStatus
        self.status = status
        self.request = request
        self.code = Self.classify(reason: status.reason, httpStatus: status.code != 0 ? status.code : httpStatus)
    }

    /// Decodes the error from a non-2xx response body.
    public init(httpStatus: Int, body: [UInt8], request: String) {
        if let json = try? JSONValue(parsing: body), json["kind"]?.stringValue == "Status",
           let status = Self.status(from: json) {
            self.init(httpStatus: httpStatus, status: status, request: request)
        } else {
            let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let status = APIStatus(message: text.isEmpty ? "the server answered HTTP \(httpStatus) with no Status body" : text,
                                   reason: nil, code: httpStatus)
            self.init(httpStatus: httpStatus, status: status, request: request)
        }
    }

    static func status(from json: JSONValue) -> APIStatus? {
        guard let object = json.objectValue else { return nil }
        var details: APIStatus.Details?
        if let d = object["details"] {
            details = APIStatus.Details(
                name: d["name"]?.stringValue, group: d["group"]?.stringValue, kind: d["kind"]?.stringValue,
                uid: d["uid"]?.stringValue,
                causes: d["causes"]?.arrayValue?.map {
                    APIStatus.Cause(reason: $0["reason"]?.stringValue, message: $0["message"]?.stringValue, field: $0["field"]?.stringValue)
                },
                retryAfterSeconds: d["retryAfterSeconds"]?.intValue.map { Int($0) })
        }
        return APIStatus(status: object["status"]?.stringValue ?? "Failure", message: object["message"]?.stringValue,
                         reason: object["reason"]?.stringValue, details: details,
                         code: Int(object["code"]?.intValue ?? 0))
    }

    static func classify(reason: String?, httpStatus: Int) -> Code {
        switch reason {
        case "NotFound": return .notFound
        case "AlreadyExists": return .alreadyExists
        case "Conflict": return .conflict
        case "Invalid": return .invalid
        case "Gone", "Expired": return .gone
        case "Forbidden": return .forbidden
        case "Unauthorized": return .unauthorized
        case "TooManyRequests": return .tooManyRequests
        case "BadRequest": return .badRequest
        case "MethodNotAllowed": return .methodNotAllowed
        case "NotAcceptable": return .notAcceptable
        case "UnsupportedMediaType": return .unsupportedMediaType
        case "RequestEntityTooLarge": return .requestEntityTooLarge
        case "Timeout", "ServerTimeout": return .timeout
        case "InternalError": return .internalError
        case "ServiceUnavailable": return .serviceUnavailable
        default: break
        }
        switch httpStatus {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 406: return .notAcceptable
        case 409: return .conflict
        case 410: return .gone
        case 413: return .requestEntityTooLarge
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 503: return .serviceUnavailable
        case 504: return .timeout
        case 500...599: return .serverError
        default: return .unknown
        }
    }

    /// Field-level problems of an `Invalid` error.
    public var causes: [APIStatus.Cause] { status.details?.causes ?? [] }

    /// Seconds the server asked us to wait, from `details.retryAfterSeconds`.
    public var retryAfterSeconds: Int? { status.details?.retryAfterSeconds }

    /// What a person can do about it.
    public var hint: String? {
        switch code {
        case .unauthorized: return "check the credentials of the kubeconfig user (token, client certificate or exec plugin)"
        case .forbidden: return "grant this identity RBAC permission for the verb and resource"
        case .conflict: return "the object changed since it was read: read it again, reapply the change and retry"
        case .gone: return "the resourceVersion is too old: list again to get a current one"
        case .tooManyRequests: return "the server is throttling this client: lower its QPS or retry later"
        case .invalid: return "fix the fields listed and send the object again"
        case .serviceUnavailable, .internalError, .serverError, .timeout: return "a server-side failure: retry later"
        default: return nil
        }
    }

    public var description: String {
        var text = "\(code.rawValue) (HTTP \(httpStatus)) from \(request): \(status.message ?? "no message")"
        let fieldCauses = causes.compactMap { cause -> String? in
            guard cause.field != nil || cause.message != nil else { return nil }
            return [cause.field, cause.message].compactMap { $0 }.joined(separator: ": ")
        }
        if !fieldCauses.isEmpty, !(status.message ?? "").contains(fieldCauses[0]) {
            text += " [" + fieldCauses.joined(separator: "; ") + "]"
        }
        if let hint { text += " — \(hint)" }
        return text
    }
}

extension KubeAPIError: Equatable {
    /// Two errors are the same when their codes are.
    public static func == (lhs: KubeAPIError, rhs: KubeAPIError) -> Bool { lhs.code == rhs.code }
}
