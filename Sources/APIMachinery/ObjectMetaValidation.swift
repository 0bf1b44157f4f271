import KubeModel

/// `metadata` validation on create and update (apimachinery's ValidateObjectMeta and
/// ValidateObjectMetaUpdate), with the API server's paths and messages.
public enum ObjectMetaValidation {
    /// The rule an object's name follows.
    public enum NameRule: Sendable {
        /// Most kinds (and custom resources).
        case dns1123Subdomain
        /// Namespaces and a few others.
        case dns1123Label
        /// Services.
        case dns1035Label
        /// Kinds whose names only need to be URL path segments.
        case pathSegment

        /// Messages for `name`; a `generateName` prefix may end in `-`.
        public func messages(_ name: String, prefix: Bool) -> [String] {
            let checked = prefix && name.hasSuffix("-") ? String(name.dropLast()) + "a" : name
            switch self {
            case .dns1123Subdomain: return NameValidation.dns1123Subdomain(checked)
            case .dns1123Label: return NameValidation.dns1123Label(checked)
            case .dns1035Label: return NameValidation.dns1035Label(checked)
            case .pathSegment: return NameValidation.pathSegmentName(name, prefix: prefix)
            }
        }
    }

    /// Validates the metadata of an object being created (after a generated name is filled in).
    public static func validateCreate(_ metadata: JSONValue?, namespaced: Bool, nameRule: NameRule,
                                      field: String = "metadata") -> [FieldError] {
        let meta = metadata ?? .object([:])
        var errors: [FieldError] = []
        let generateName = meta["generateName"]?.stringValue ?? ""
        if !generateName.isEmpty {
            errors += nameRule.messages(generateName, prefix: true).map { .invalid("\(field).generateName", .string(generateName), $0) }
        }
        let name = meta["name"]?.stringValue ?? ""
        if name.isEmpty {
            errors.append(.required("\(field).name", "name or generateName is required"))
        } else {
            errors += nameRule.messages(name, prefix: false).map { .invalid("\(field).name", .string(name), $0) }
        }
        let namespace = meta["namespace"]?.stringValue ?? ""
        if namespaced {
            if namespace.isEmpty {
                errors.append(.required("\(field).namespace"))
            } else {
                errors += NameValidation.dns1123Label(namespace).map { .invalid("\(field).namespace", .string(namespace), $0) }
            }
        } else if !namespace.isEmpty {
            errors.append(.forbidden("\(field).namespace", "not allowed on this type"))
        }
        errors += common(meta, field: field)
        errors += validateFinalizers(meta["finalizers"], field: "\(field).finalizers")
        return errors
    }

    /// Validates the metadata of an update against the stored object's.
    public static func validateUpdate(new newMetadata: JSONValue?, old oldMetadata: JSONValue?, field: String = "metadata") -> [FieldError] {
        let new = newMetadata ?? .object([:])
        let old = oldMetadata ?? .object([:])
        var errors: [FieldError] = []
        if old["deletionTimestamp"].map({ !$0.isNull }) == true {
            let added = Set(strings(new["finalizers"])).subtracting(strings(old["finalizers"])).sorted()
            if !added.isEmpty {
                let list = added.map(GoFormatting.quote).joined(separator: ", ")
                errors.append(.forbidden("\(field).finalizers",
                                         "no new finalizers can be added if the object is being deleted, found new finalizers []string{\(list)}"))
            }
        }
        let newGeneration = new["generation"]?.intValue ?? 0
        if newGeneration < 0 {
            errors.append(.invalid("\(field).generation", .int(newGeneration), "must be greater than or equal to 0"))
        }
        if newGeneration < old["generation"]?.intValue ?? 0 {
            errors.append(.invalid("\(field).generation", .int(newGeneration), "must not be decremented"))
        }
        for (name, zero) in [("name", JSONValue.string("")), ("namespace", ""), ("uid", ""), ("creationTimestamp", .null),
                             ("deletionTimestamp", .null), ("deletionGracePeriodSeconds", .null)] {
            let newValue = new[name] ?? zero
            let oldValue = old[name] ?? zero
            if newValue != oldValue {
                errors.append(.invalid("\(field).\(name)", newValue, "field is immutable"))
            }
        }
        errors += NameValidation.validateLabels(new["labels"], field: "\(field).labels")
        errors += NameValidation.validateAnnotations(new["annotations"], field: "\(field).annotations")
        errors += validateOwnerReferences(new["ownerReferences"], field: "\(field).ownerReferences")
        return errors
    }

    private static func common(_ meta: JSONValue, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let generation = meta["generation"]?.intValue, generation < 0 {
            errors.append(.invalid("\(field).generation", .int(generation), "must be greater than or equal to 0"))
        }
        errors += NameValidation.validateLabels(meta["labels"], field: "\(field).labels")
        errors += NameValidation.validateAnnotations(meta["annotations"], field: "\(field).annotations")
        errors += validateOwnerReferences(meta["ownerReferences"], field: "\(field).ownerReferences")
        return errors
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap(\.stringValue)
    }

    static func validateFinalizers(_ value: JSONValue?, field: String) -> [FieldError] {
        let finalizers = strings(value)
        var errors: [FieldError] = []
        for finalizer in finalizers {
            errors += NameValidation.qualifiedName(finalizer).map { .invalid(field, .string(finalizer), $0) }
        }
        if finalizers.contains("orphan") && finalizers.contains("foregroundDeletion") {
            errors.append(.invalid(field, value, "finalizer orphan and foregroundDeletion cannot be both set"))
        }
        return errors
    }

    /// Built-in kinds also refuse finalizer names without a domain, except the standard ones
    /// (core validation's `validateKubeFinalizerName`); custom resources only get a warning.
    public static func validateBuiltInFinalizers(_ metadata: JSONValue?, field: String = "metadata") -> [FieldError] {
        let standard: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]
        return strings(metadata?["finalizers"]).filter { !$0.contains("/") && !standard.contains($0) }.map {
            .invalid("\(field).finalizers", .string($0), "name is neither a standard finalizer name nor is it fully qualified")
        }
    }

    static func validateOwnerReferences(_ value: JSONValue?, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        var firstController: String?
        for (index, reference) in (value?.arrayValue ?? []).enumerated() {
            let path = "\(field)[\(index)]"
            let apiVersion = reference["apiVersion"]?.stringValue ?? ""
            if apiVersion.isEmpty {
                errors.append(.required("\(path).apiVersion", "must not be empty"))
            } else {
                let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
                if parts.count > 2 || parts.last?.isEmpty == true {
                    errors.append(.invalid("\(path).apiVersion", .string(apiVersion), "must be <group>/<version> or <version>"))
                }
            }
            for name in ["kind", "name", "uid"] where (reference[name]?.stringValue ?? "").isEmpty {
                errors.append(.required("\(path).\(name)", "must not be empty"))
            }
            if reference["controller"]?.boolValue == true {
                let current = (reference["kind"]?.stringValue ?? "") + "/" + (reference["name"]?.stringValue ?? "")
                if let firstController {
                    errors.append(.invalid(field, value, "Only one reference can have Controller set to true. Found \"true\" in references for \(firstController) and \(current)"))
                } else {
                    firstController = current
                }
            }
        }
        return errors
    }
}
