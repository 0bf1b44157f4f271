import KubeModel

/// An apply that would change fields another manager owns (409 Conflict). `message` and
/// `causes` are what the API server answers.
public struct ApplyConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Conflict: Sendable, Equatable {
        /// The manager's name, e.g. `kubectl-client-side-apply`.
        public var manager: String
        /// How Kubernetes names the manager in messages: `"kubectl"` or `"x" using apps/v1`.
        public var managerDescription: String
        /// The contested field, e.g. `.spec.replicas` or `.spec.containers[name="app"].image`.
        public var field: String
        let path: [PathElement]

        init(manager: String, managerDescription: String, path: [PathElement]) {
            self.manager = manager
            self.managerDescription = managerDescription
            self.path = path
            self.field = FieldSet.display(path)
        }
    }

    public var conflicts: [Conflict]
    public var message: String
    public var description: String { message }

    /// Status causes: reason `FieldManagerConflict`, message `conflict with "x" using apps/v1`.
    public var causes: [APIStatus.Cause] {
        conflicts.map { APIStatus.Cause(reason: "FieldManagerConflict", message: "conflict with \($0.managerDescription)", field: $0.field) }
    }

    /// The Status the API server returns for the conflict.
    public var status: APIStatus {
        APIStatus(message: message, reason: "Conflict", details: APIStatus.Details(causes: causes), code: 409)
    }

    init(_ conflicts: [Conflict]) {
        self.conflicts = conflicts
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].managerDescription): \(conflicts[0].field)"
        } else {
            var lines: [String] = []
            for manager in Set(conflicts.map(\.managerDescription)).sorted() {
                lines.append("conflicts with \(manager):")
                lines.append(contentsOf: conflicts.filter { $0.managerDescription == manager }.map { "- \($0.field)" })
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
    }
}
