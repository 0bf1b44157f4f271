import KubeModel

/// The part of an `admission.k8s.io/v1` AdmissionReview the injector reads: who asks
/// (`uid`, echoed in the answer), about what (`kind`, `resource`, `subResource`, `operation`),
/// where (`namespace` — on CREATE the pod itself often carries neither a namespace nor a name,
/// only `generateName`), and the object.
public struct AdmissionRequest: Sendable, Equatable {
    public static let apiVersion = "admission.k8s.io/v1"

    public var uid: String
    /// `group/version/kind` of the object, e.g. `/v1/Pod` for core pods.
    public var kind: GroupVersionKind
    public var resource: String
    public var subResource: String?
    public var operation: String
    public var namespace: String?
    public var name: String?
    public var object: JSONValue?
    /// A dry run changes nothing; injection has no side effects, so it is answered the same.
    public var dryRun: Bool

    public init(uid: String, kind: GroupVersionKind, resource: String, subResource: String? = nil, operation: String,
                namespace: String?, name: String? = nil, object: JSONValue?, dryRun: Bool = false) {
        self.uid = uid
        self.kind = kind
        self.resource = resource
        self.subResource = subResource
        self.operation = operation
        self.namespace = namespace
        self.name = name
        self.object = object
        self.dryRun = dryRun
    }

    /// Reads the `request` of a review, refusing what the API server would never send: another
    /// API version (the webhook registers `admissionReviewVersions: [v1]` only), no request, no uid.
    public init(review: JSONValue) throws(MalformedReview) {
        guard case .object = review else { throw MalformedReview("the body must be a JSON object (an AdmissionReview)") }
        let apiVersion = review["apiVersion"]?.stringValue ?? ""
        guard apiVersion == Self.apiVersion else {
            throw MalformedReview("apiVersion must be \(Self.apiVersion), not \(apiVersion.isEmpty ? "missing" : "\"\(apiVersion)\"")")
        }
        guard review["kind"]?.stringValue == "AdmissionReview" else { throw MalformedReview("kind must be AdmissionReview") }
        guard let request = review["request"], case .object = request else { throw MalformedReview("the review has no request") }
        guard let uid = request["uid"]?.stringValue, !uid.isEmpty else { throw MalformedReview("request.uid is missing") }
        guard let kind = request["kind"], let kindName = kind["kind"]?.stringValue else {
            throw MalformedReview("request.kind is missing")
        }
        guard let operation = request["operation"]?.stringValue else { throw MalformedReview("request.operation is missing") }
        self.uid = uid
        self.kind = GroupVersionKind(group: kind["group"]?.stringValue ?? "", version: kind["version"]?.stringValue ?? "",
                                     kind: kindName)
        resource = request[path: ["resource", "resource"]]?.stringValue ?? ""
        subResource = request["subResource"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        self.operation = operation
        namespace = request["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        name = request["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        object = request["object"].flatMap { $0.isNull ? nil : $0 }
        dryRun = request["dryRun"]?.boolValue ?? false
    }

    /// A core-group Pod, not one of its subresources (`pods/ephemeralcontainers`, `pods/binding`...).
    public var isPod: Bool { kind.group.isEmpty && kind.kind == "Pod" && subResource == nil }

    /// How logs name the pod: `namespace/name`, or `namespace/generateName*` before it has a name.
    public var podDescription: String {
        let namespace = self.namespace ?? object?[path: ["metadata", "namespace"]]?.stringValue ?? ""
        if let name = name ?? object?[path: ["metadata", "name"]]?.stringValue, !name.isEmpty { return "\(namespace)/\(name)" }
        if let generateName = object?[path: ["metadata", "generateName"]]?.stringValue, !generateName.isEmpty {
            return "\(namespace)/\(generateName)*"
        }
        return "\(namespace)/(unnamed)"
    }
}

/// A body that is not an AdmissionReview the webhook can answer: HTTP 400 with this message.
public struct MalformedReview: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
