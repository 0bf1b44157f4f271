import KubeModel

extension APIStatus {
    /// The 422 Invalid status the API server returns for field errors:
    /// `Widget.example.com "w" is invalid: [spec.replicas: ..., spec.image: ...]`, one cause per
    /// error (`reason` the error kind, `message` its body, `field` its path).
    public static func invalid(group: String, kind: String, name: String, errors: [FieldError]) -> APIStatus {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        let summary = FieldError.aggregateMessage(errors)
        let message = summary.isEmpty
            ? "\(qualifiedKind) \(GoFormatting.quote(name)) is invalid"
            : "\(qualifiedKind) \(GoFormatting.quote(name)) is invalid: \(summary)"
        return APIStatus(message: message, reason: "Invalid",
                         details: Details(name: name, group: group.isEmpty ? nil : group, kind: kind,
                                         causes: errors.map(\.cause)), code: 422)
    }
}
