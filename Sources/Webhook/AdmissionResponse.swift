import KubeModel

/// The answer to one AdmissionReview: allowed (with a JSON Patch when the pod changes) or refused
/// with a status the API server shows the user (`admission webhook "..." denied the request: ...`).
public struct AdmissionResponse: Sendable, Equatable {
    public var uid: String
    public var allowed: Bool
    /// RFC 6902 operations; nil (or empty) sends no patch at all — an empty patch is a change to
    /// the API server's reinvocation logic, not "nothing".
    public var patch: [JSONValue]?
    /// Why the request was refused (only when not allowed).
    public var refusal: Refusal?

    public struct Refusal: Sendable, Equatable {
        public var code: Int
        public var reason: String
        public var message: String

        public init(code: Int, reason: String, message: String) {
            self.code = code
            self.reason = reason
            self.message = message
        }
    }

    public static func allow(uid: String, patch: [JSONValue]? = nil) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: true, patch: patch?.isEmpty == true ? nil : patch, refusal: nil)
    }

    public static func refuse(uid: String, code: Int = 400, reason: String = "BadRequest", message: String) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: false, patch: nil, refusal: Refusal(code: code, reason: reason, message: message))
    }

    /// The review's bytes: the same as `review.serialized()`, written directly, because the
    /// patch is a base64 string of several kilobytes that the generic serializer would scan for
    /// characters to escape (base64 has none), on every review.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        let patchBytes = patch.flatMap { $0.isEmpty ? nil : JSONValue.array($0).serialized() }
        out.reserveCapacity(128 + uid.utf8.count + (patchBytes?.count ?? 0) * 4 / 3 + (refusal?.message.utf8.count ?? 0))
        out.append(contentsOf: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"allowed":"#.utf8)
        out.append(contentsOf: (allowed ? "true" : "false").utf8)
        if let patchBytes {
            out.append(contentsOf: #","patch":""#.utf8)
            out.append(contentsOf: Base64.encode(patchBytes).utf8)
            out.append(contentsOf: #"","patchType":"JSONPatch""#.utf8)
        }
        if let status {
            out.append(contentsOf: #","status":"#.utf8)
            status.write(to: &out, indent: nil, level: 0)
        }
        out.append(contentsOf: #","uid":"#.utf8)
        JSONValue.string(uid).write(to: &out, indent: nil, level: 0)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// A refusal as a metav1.Status.
    private var status: JSONValue? {
        refusal.map {
            ["metadata": [:], "status": "Failure", "code": .int(Int64($0.code)), "reason": .string($0.reason), "message": .string($0.message)]
        }
    }

    /// The whole `AdmissionReview` the API server expects back (same apiVersion as the request).
    public var review: JSONValue {
        var response: [String: JSONValue] = ["uid": .string(uid), "allowed": .bool(allowed)]
        if let patch, !patch.isEmpty {
            response["patchType"] = "JSONPatch"
            response["patch"] = .string(Base64.encode(JSONValue.array(patch).serialized()))
        }
        if let status { response["status"] = status }
        return ["apiVersion": .string(AdmissionRequest.apiVersion), "kind": "AdmissionReview", "response": .object(response)]
    }
}
