import KubeModel
import APIMachinery

/// CustomResourceDefinition defaults and validation (apiextensions.k8s.io/v1): a CRD that would
/// be served wrongly is refused with field errors, never half-accepted.
struct CRDStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        object.setDefault(["spec", "conversion", "strategy"], "None")
        if let plural = object[path: ["spec", "names", "plural"]]?.stringValue {
            object.setDefault(["spec", "names", "singular"], .string(plural))
            let kind = object[path: ["spec", "names", "kind"]]?.stringValue ?? ""
            object.setDefault(["spec", "names", "listKind"], .string(kind + "List"))
        }
        if old == nil { object["status"] = nil }
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? [:]
        let group = spec["group"]?.stringValue ?? ""
        let plural = spec[path: ["names", "plural"]]?.stringValue ?? ""
        if group.isEmpty {
            errors.append(FieldError(kind: .required, field: "spec.group", badValue: nil, detail: ""))
        } else if !group.contains(".") {
            errors.append(FieldError(kind: .invalid, field: "spec.group", badValue: .string(group),
                                     detail: "should be a domain with at least one dot"))
        }
        if plural.isEmpty { errors.append(FieldError(kind: .required, field: "spec.names.plural", badValue: nil, detail: "")) }
        if (spec[path: ["names", "kind"]]?.stringValue ?? "").isEmpty {
            errors.append(FieldError(kind: .required, field: "spec.names.kind", badValue: nil, detail: ""))
        }
        let name = ObjectMetaRules.name(object) ?? ""
        if !plural.isEmpty, !group.isEmpty, name != "\(plural).\(group)" {
            errors.append(FieldError(kind: .invalid, field: "metadata.name", badValue: .string(name),
                                     detail: "must be spec.names.plural+\".\"+spec.group"))
        }
        let scope = spec["scope"]?.stringValue ?? ""
        if scope != "Namespaced", scope != "Cluster" {
            errors.append(FieldError(kind: .notSupported, field: "spec.scope", badValue: .string(scope),
                                     detail: "supported values: \"Cluster\", \"Namespaced\""))
        }
        let versions = spec["versions"]?.arrayValue ?? []
        if versions.isEmpty {
            errors.append(FieldError(kind: .invalid, field: "spec.versions", badValue: nil, detail: "must have exactly one version marked as storage version"))
        } else if versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            errors.append(FieldError(kind: .invalid, field: "spec.versions", badValue: nil,
                                     detail: "must have exactly one version marked as storage version"))
        }
        for (index, version) in versions.enumerated() {
            let path = "spec.versions[\(index)]"
            if (version["name"]?.stringValue ?? "").isEmpty {
                errors.append(FieldError(kind: .required, field: "\(path).name", badValue: nil, detail: ""))
            }
            guard let schema = version[path: ["schema", "openAPIV3Schema"]] else {
                errors.append(FieldError(kind: .required, field: "\(path).schema.openAPIV3Schema", badValue: nil,
                                         detail: "schemas are required"))
                continue
            }
            do {
                // Validation rules that do not compile are refused here, at their own paths, as
                // the API server does; a CRD never reaches storage with a rule it cannot run.
                let structural = try StructuralSchema(schema)
                errors += structural.validationRuleErrors.map { error in
                    var placed = error
                    placed.field = "\(path).schema." + error.field
                    return placed
                }
            } catch {
                errors.append(FieldError(kind: .invalid, field: "\(path).schema.openAPIV3Schema", badValue: nil,
                                         detail: error.message))
            }
            for (columnIndex, column) in (version["additionalPrinterColumns"]?.arrayValue ?? []).enumerated() {
                let jsonPath = column["jsonPath"]?.stringValue ?? ""
                do { _ = try JSONPathExpression(jsonPath) } catch {
                    errors.append(FieldError(kind: .invalid, field: "\(path).additionalPrinterColumns[\(columnIndex)].jsonPath",
                                             badValue: .string(jsonPath), detail: error.message))
                }
            }
        }
        return errors
    }
}
