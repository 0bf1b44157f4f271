import KubeModel
import APIMachinery

/// Query parameters that shape a write: `dryRun`, `fieldManager`, `fieldValidation`, `force`.
struct WriteOptions: Sendable {
    enum FieldValidation: String { case strict = "Strict", warn = "Warn", ignore = "Ignore" }

    /// The option kind a write's parameters are validated as (it names the kind in a 422).
    enum Kind: String {
        case create = "CreateOptions", update = "UpdateOptions", patch = "PatchOptions"
    }

    var dryRun = false
    var fieldManager: String
    var fieldValidation: FieldValidation = .warn
    var force = false

    /// Validates the options as the real server does before anything is decoded: an apply patch
    /// needs an explicit `fieldManager`, `force` is for apply only, and unknown `dryRun` or
    /// `fieldValidation` values are refused rather than ignored.
    init(_ kind: Kind, query: [String: String], userAgent: String?, isApply: Bool = false) throws(APIStatus) {
        let manager = query["fieldManager"] ?? ""
        var errors: [FieldError] = []
        if kind == .patch {
            if !isApply, query["force"] != nil {
                errors.append(.forbidden("force", "may not be specified for non-apply patch"))
            }
            if isApply, manager.isEmpty {
                errors.append(.required("fieldManager", "is required for apply patch"))
            }
        }
        errors += OptionsErrors.fieldManager(manager)
        let dryRunValues = query["dryRun"].map { [$0] } ?? []
        errors += OptionsErrors.dryRun(dryRunValues.filter { !$0.isEmpty })
        errors += OptionsErrors.fieldValidation(query["fieldValidation"])
        guard errors.isEmpty else { throw OptionsErrors.invalid(kind.rawValue, errors) }

        dryRun = dryRunValues.contains("All")
        // As the real server: without a manager, the user agent up to its first "/".
        fieldManager = manager.isEmpty ? String((userAgent ?? "unknown").split(separator: "/").first ?? "unknown") : manager
        if let validation = query["fieldValidation"], let value = FieldValidation(rawValue: validation) {
            fieldValidation = value
        }
        force = query["force"] == "true"
    }

    init(fieldManager: String) { self.fieldManager = fieldManager }
}
