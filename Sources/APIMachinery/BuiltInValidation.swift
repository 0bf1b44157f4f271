import KubeModel

/// Validation rules of built-in kinds beyond metadata (ConfigMaps, Secrets, workloads' selectors
/// and pod templates), and which name rule each kind's names follow.
public enum BuiltInValidation {
    /// The largest total size of a ConfigMap's or Secret's data, in bytes.
    public static let maxDataSize = 1024 * 1024

    /// The rule an object name of this kind follows (Services are DNS-1035 labels, namespaces
    /// DNS-1123 labels, RBAC objects path segments, the rest DNS-1123 subdomains).
    public static func nameRule(group: String, kind: String) -> ObjectMetaValidation.NameRule {
        switch (group, kind) {
        case ("", "Service"): return .dns1035Label
        case ("", "Namespace"): return .dns1123Label
        case ("rbac.authorization.k8s.io", _): return .pathSegment
        default: return .dns1123Subdomain
        }
    }

    /// Field errors of the kind's own rules (metadata is `ObjectMetaValidation`'s).
    /// `allowLoopbackEndpoints` relaxes one rule for `causeway dev` on machines where it cannot
    /// make a non-loopback range local (not root): EndpointSlices may then hold 127.x addresses.
    public static func validate(_ object: JSONValue, allowLoopbackEndpoints: Bool = false) -> [FieldError] {
        let gvk = GroupVersionKind(apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "")
        switch (gvk.group, gvk.kind) {
        case ("", "ConfigMap"): return configMap(object)
        case ("", "Secret"): return secret(object)
        case ("apps", let kind) where WorkloadValidation.kinds.contains(kind): return WorkloadValidation.validate(object, kind: kind)
        case ("", "Pod"):
            let spec = object["spec"] ?? .object([:])
            return WorkloadValidation.containerErrors(spec, field: "spec") + PodSpecEnums.errors(spec, field: "spec")
                + PodStatusValidation.validate(object)
        case ("", "Service"): return PortValidation.service(object)
        case ("discovery.k8s.io", "EndpointSlice"): return EndpointSliceValidation.validate(object, allowLoopback: allowLoopbackEndpoints)
        default: return []
        }
    }

    /// Field errors of an update beyond those of `validate(new)`: fields the kind keeps
    /// immutable (a workload's selector, a Secret's type).
    public static func validateUpdate(new: JSONValue, old: JSONValue) -> [FieldError] {
        let gvk = GroupVersionKind(apiVersion: new["apiVersion"]?.stringValue ?? "", kind: new["kind"]?.stringValue ?? "")
        switch (gvk.group, gvk.kind) {
        case ("apps", let kind) where WorkloadValidation.kinds.contains(kind):
            return WorkloadValidation.validateUpdate(new: new, old: old)
        case ("", "Secret"):
            let newType = new["type"] ?? ""
            let typeErrors: [FieldError] = newType == (old["type"] ?? "") ? [] : [.invalid("type", newType, "field is immutable")]
            return typeErrors + immutableData(new: new, old: old, fields: ["data"])
        case ("", "ConfigMap"):
            return immutableData(new: new, old: old, fields: ["data", "binaryData"])
        case ("", "Pod"):
            return PodUpdateValidation.validate(new: new, old: old)
        case ("batch", "Job"):
            return ["selector", "template"].compactMap { field in
                let value = new[path: ["spec", field]] ?? .null
                return value == (old[path: ["spec", field]] ?? .null) ? nil : .invalid("spec.\(field)", value, "field is immutable")
            }
        case ("", "Service"):
            return serviceUpdate(new: new, old: old)
        default:
            return []
        }
    }

    /// A ConfigMap or Secret marked `immutable: true` keeps its data and the mark for life.
    private static func immutableData(new: JSONValue, old: JSONValue, fields: [String]) -> [FieldError] {
        guard old["immutable"]?.boolValue == true else { return [] }
        var errors: [FieldError] = []
        if new["immutable"]?.boolValue != true {
            errors.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
        }
        for field in fields where (new[field] ?? .object([:])) != (old[field] ?? .object([:])) {
            errors.append(.forbidden(field, "field is immutable when `immutable` is set"))
        }
        return errors
    }

    /// An allocated cluster IP stays (ExternalName Services have none to keep).
    private static func serviceUpdate(new: JSONValue, old: JSONValue) -> [FieldError] {
        let oldIP = old[path: ["spec", "clusterIP"]]?.stringValue ?? ""
        let newIP = new[path: ["spec", "clusterIP"]] ?? ""
        let externalName = [new, old].contains { $0[path: ["spec", "type"]]?.stringValue == "ExternalName" }
        guard !externalName, !oldIP.isEmpty, newIP != .string(oldIP) else { return [] }
        return [.invalid("spec.clusterIP", newIP, "field is immutable")]
    }

    /// The problem with a Secret's `data` values the API server reports while decoding the
    /// request (a 400, before validation), e.g. `illegal base64 data at input byte 4`.
    public static func secretDataDecodingError(_ object: JSONValue) -> String? {
        for key in (object["data"]?.objectValue ?? [:]).keys.sorted() {
            guard case .string(let text)? = object["data"]?[key] else { continue }
            if case .failure(let error) = Base64.decode(text) { return error.message }
        }
        return nil
    }

    /// Moves a Secret's write-only `stringData` into `data` (base64), as the API server does on
    /// every write; other objects come back unchanged.
    public static func mergingSecretStringData(_ object: JSONValue) -> JSONValue {
        guard object["kind"] == "Secret", case .object(let stringData)? = object["stringData"] else { return object }
        var result = object
        var data = result["data"]?.objectValue ?? [:]
        for (key, value) in stringData {
            if case .string(let text) = value { data[key] = .string(Base64.encode(Array(text.utf8))) }
        }
        result["data"] = .object(data)
        result["stringData"] = nil
        return result
    }

    private static func configMap(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let data = object["data"]?.objectValue ?? [:]
        let binaryData = object["binaryData"]?.objectValue ?? [:]
        var total = 0
        for key in data.keys.sorted() {
            errors += NameValidation.configMapKey(key).map { .invalid("data[\(key)]", .string(key), $0) }
            if binaryData[key] != nil {
                errors.append(.invalid("data[\(key)]", .string(key), "duplicate of key present in binaryData"))
            }
            total += data[key]?.stringValue?.utf8.count ?? 0
        }
        for key in binaryData.keys.sorted() {
            errors += NameValidation.configMapKey(key).map { .invalid("binaryData[\(key)]", .string(key), $0) }
            total += decodedSize(binaryData[key])
        }
        if total > maxDataSize {
            errors.append(.tooLong("", maxBytes: maxDataSize))
        }
        return errors
    }

    private static func secret(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let data = object["data"]?.objectValue ?? [:]
        var total = 0
        for key in data.keys.sorted() {
            errors += NameValidation.configMapKey(key).map { .invalid("data[\(key)]", .string(key), $0) }
            total += decodedSize(data[key])
        }
        if total > maxDataSize {
            errors.append(.tooLong("data", maxBytes: maxDataSize))
        }
        func requireData(_ key: String) {
            if data[key] == nil { errors.append(.required("data[\(key)]")) }
        }
        switch object["type"]?.stringValue ?? "" {
        case "kubernetes.io/service-account-token":
            if (object[path: ["metadata", "annotations", "kubernetes.io/service-account.name"]]?.stringValue ?? "").isEmpty {
                errors.append(.required("metadata.annotations[kubernetes.io/service-account.name]"))
            }
        case "kubernetes.io/dockercfg":
            requireData(".dockercfg")
        case "kubernetes.io/dockerconfigjson":
            requireData(".dockerconfigjson")
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil {
                requireData("username")
                requireData("password")
            }
        case "kubernetes.io/ssh-auth":
            if decodedSize(data["ssh-privatekey"]) == 0 { errors.append(.required("data[ssh-privatekey]")) }
        case "kubernetes.io/tls":
            requireData("tls.crt")
            requireData("tls.key")
        default:
            break
        }
        return errors
    }

    private static func decodedSize(_ value: JSONValue?) -> Int {
        guard case .string(let text)? = value, case .success(let bytes) = Base64.decode(text) else { return 0 }
        return bytes.count
    }
}
