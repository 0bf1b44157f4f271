import KubeModel
import APIMachinery

/// The `Status` answers of the real API server, with its reasons and message wording,
/// so clients that branch on reason or code (kubectl, helm, client-go) behave the same.
enum APIErrors {
    static func notFound(_ definition: ResourceDefinition, name: String) -> APIStatus {
        APIStatus(message: "\(definition.qualifiedResource) \"\(name)\" not found", reason: "NotFound",
                  details: .init(name: name, group: nonEmpty(definition.group), kind: definition.resource), code: 404)
    }

    static func namespaceNotFound(_ namespace: String) -> APIStatus {
        APIStatus(message: "namespaces \"\(namespace)\" not found", reason: "NotFound",
                  details: .init(name: namespace, kind: "namespaces"), code: 404)
    }

    static let unknownPath = APIStatus(message: "the server could not find the requested resource", reason: "NotFound",
                                       details: .init(), code: 404)

    static func alreadyExists(_ definition: ResourceDefinition, name: String) -> APIStatus {
        APIStatus(message: "\(definition.qualifiedResource) \"\(name)\" already exists", reason: "AlreadyExists",
                  details: .init(name: name, group: nonEmpty(definition.group), kind: definition.resource), code: 409)
    }

    static func conflict(_ definition: ResourceDefinition, name: String, detail: String = "the object has been modified; please apply your changes to the latest version and try again") -> APIStatus {
        APIStatus(message: "Operation cannot be fulfilled on \(definition.qualifiedResource) \"\(name)\": \(detail)",
                  reason: "Conflict",
                  details: .init(name: name, group: nonEmpty(definition.group), kind: definition.resource), code: 409)
    }

    static func invalid(_ definition: ResourceDefinition, name: String, _ errors: [FieldError]) -> APIStatus {
        invalid(group: definition.group, kind: definition.kind, name: name, errors)
    }

    /// 422 `Invalid` for any kind, including the option kinds (`ListOptions.meta.k8s.io ""`) and
    /// `Scale.autoscaling`: `Kind.group "name" is invalid: <errors as an aggregate prints them>`.
    static func invalid(group: String, kind: String, name: String, _ errors: [FieldError]) -> APIStatus {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        return APIStatus(
            message: "\(qualifiedKind) \"\(name)\" is invalid: \(FieldError.aggregateMessage(errors))", reason: "Invalid",
            details: .init(name: name, group: nonEmpty(group), kind: kind, causes: errors.map(\.cause)),
            code: 422)
    }

    static func badRequest(_ message: String) -> APIStatus {
        APIStatus(message: message, reason: "BadRequest", code: 400)
    }

    static func methodNotAllowed() -> APIStatus {
        APIStatus(message: "the server does not allow this method on the requested resource", reason: "MethodNotAllowed",
                  details: .init(), code: 405)
    }

    static func gone(_ message: String) -> APIStatus {
        APIStatus(message: message, reason: "Expired", code: 410)
    }

    static func tooLarge(limit: Int) -> APIStatus {
        APIStatus(message: "Request entity too large: limit is \(limit)", reason: "RequestEntityTooLarge", code: 413)
    }

    static let unauthorized = APIStatus(message: "Unauthorized", reason: "Unauthorized", code: 401)

    static func unsupportedMediaType(_ type: String) -> APIStatus {
        APIStatus(message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
                  reason: "UnsupportedMediaType", details: .init(causes: [.init(reason: "UnexpectedServerResponse", message: type)]),
                  code: 415)
    }

    static func namespaceTerminating(_ namespace: String, _ definition: ResourceDefinition, name: String) -> APIStatus {
        APIStatus(message: "\(definition.qualifiedResource) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                  reason: "Forbidden",
                  details: .init(name: name, group: nonEmpty(definition.group), kind: definition.resource,
                                 causes: [.init(reason: "NamespaceTerminating",
                                                message: "namespace \(namespace) is being terminated",
                                                field: "metadata.namespace")]),
                  code: 403)
    }

    static func forbidden(_ definition: ResourceDefinition, name: String, _ reason: String) -> APIStatus {
        APIStatus(message: "\(definition.qualifiedResource) \"\(name)\" is forbidden: \(reason)", reason: "Forbidden",
                  details: .init(name: name, group: nonEmpty(definition.group), kind: definition.resource), code: 403)
    }

    /// A body in a media type the endpoint does not decode (the real server's message).
    static func unsupportedBodyType(_ accepted: [String]) -> APIStatus {
        APIStatus(message: "the body of the request was in an unknown format - accepted media types include: " + accepted.joined(separator: ", "),
                  reason: "UnsupportedMediaType", code: 415)
    }

    static func internalError(_ message: String) -> APIStatus {
        APIStatus(message: "Internal error occurred: \(message)", reason: "InternalError", code: 500)
    }

    private static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }
}
