import KubeModel

/// Query parameters that shape a write: `dryRun`, `fieldManager`, `fieldValidation`, `force`.
struct WriteOptions: Sendable {
    enum FieldValidation: String { case strict = "Strict", warn = "Warn", ignore = "Ignore" }

    var dryRun = false
    var fieldManager: String
    var fieldValidation: FieldValidation = .warn
    var force = false

    init(query: [String: String], userAgent: String?) throws(APIStatus) {
        if let dryRun = query["dryRun"] {
            guard dryRun == "All" || dryRun.isEmpty else {
                throw (APIErrors.badRequest("Invalid dry run value: \"\(dryRun)\". Only \"All\" is supported"))
            }
            self.dryRun = dryRun == "All"
        }
        if let manager = query["fieldManager"], !manager.isEmpty {
            guard manager.count <= 128 else {
                throw (APIErrors.badRequest("fieldManager: Too long: may not be more than 128 bytes"))
            }
            fieldManager = manager
        } else {
            // As the real server: the user agent up to its first "/".
            fieldManager = String((userAgent ?? "unknown").split(separator: "/").first ?? "unknown")
        }
        if let validation = query["fieldValidation"], !validation.isEmpty {
            guard let value = FieldValidation(rawValue: validation) else {
                throw (APIErrors.badRequest("fieldValidation parameter unsupported: \(validation)"))
            }
            fieldValidation = value
        }
        force = query["force"] == "true"
    }

    init(fieldManager: String) { self.fieldManager = fieldManager }
}

