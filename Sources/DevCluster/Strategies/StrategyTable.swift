import KubeModel
import APIMachinery

/// What a kind needs beyond the stateless defaults and validation of `APIMachinery`
/// (`BuiltInDefaults`, `BuiltInValidation`): allocations and rules that depend on server state.
protocol ResourceStrategy: Sendable {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus)
    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError]
}

extension ResourceStrategy {
    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] { [] }
}

struct StrategyTable: Sendable {
    private let table: [StorageKey: any ResourceStrategy] = [
        StorageKey(group: "", resource: "namespaces"): NamespaceStrategy(),
        StorageKey(group: "", resource: "services"): ServiceStrategy(),
        StorageKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions"): CRDStrategy(),
    ]

    func prepare(_ definition: ResourceDefinition, _ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        try table[definition.storageKey]?.prepare(&object, old: old, server: server)
    }

    func validate(_ definition: ResourceDefinition, _ object: JSONValue, old: JSONValue?) -> [FieldError] {
        table[definition.storageKey]?.validate(object, old: old) ?? []
    }
}

extension JSONValue {
    /// Sets a member only where the client left it out: how API defaulting works.
    mutating func setDefault(_ path: [String], _ value: JSONValue) {
        if self[path: path] == nil || self[path: path]?.isNull == true { self[path: path] = value }
    }
}
