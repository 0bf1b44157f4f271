import Foundation
import KubeModel
import APIMachinery

/// Serves what each CustomResourceDefinition declares and reports it in the CRD's status:
/// `NamesAccepted` and `Established` conditions, `acceptedNames`, `storedVersions`.
/// Deleting a CRD stops serving it and removes its objects.
final class CRDController: Sendable {
    let server: APIServer
    static let crdKey = StorageKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")

    init(server: APIServer) {
        self.server = server
    }

    /// Registers every stored CRD (after a restart from a persisted store), then follows changes.
    func start() {
        for (_, crd) in server.store.list(Self.crdKey).items { reconcile(crd) }
        server.onCommit { [self] event in
            guard event.storageKey == Self.crdKey else { return }
            if event.kind == .deleted {
                remove(event.object)
            } else {
                reconcile(event.object)
            }
        }
    }

    static func definitions(of crd: JSONValue) -> [ResourceDefinition] {
        guard let spec = crd["spec"], let group = spec["group"]?.stringValue,
              let plural = spec[path: ["names", "plural"]]?.stringValue,
              let kind = spec[path: ["names", "kind"]]?.stringValue else { return [] }
        let versions = spec["versions"]?.arrayValue ?? []
        let storage = versions.first { $0["storage"]?.boolValue == true }?["name"]?.stringValue
        return versions.compactMap { version -> ResourceDefinition? in
            guard version["served"]?.boolValue != false, let name = version["name"]?.stringValue else { return nil }
            var definition = ResourceDefinition(group: group, version: name, resource: plural,
                                                singular: spec[path: ["names", "singular"]]?.stringValue ?? kind.lowercased(),
                                                kind: kind, namespaced: spec["scope"]?.stringValue != "Cluster",
                                                storageVersion: storage)
            definition.isCustom = true
            definition.tracksGeneration = true
            definition.shortNames = spec[path: ["names", "shortNames"]]?.arrayValue?.compactMap(\.stringValue) ?? []
            definition.categories = spec[path: ["names", "categories"]]?.arrayValue?.compactMap(\.stringValue) ?? []
            definition.hasStatus = version[path: ["subresources", "status"]] != nil
            definition.scale = ScaleSubresource(crd: version[path: ["subresources", "scale"]])
            definition.openAPISchema = version[path: ["schema", "openAPIV3Schema"]]
            definition.schema = definition.openAPISchema.flatMap { try? StructuralSchema($0) }
            definition.printerColumns = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { column in
                guard let name = column["name"]?.stringValue, let jsonPath = column["jsonPath"]?.stringValue else { return nil }
                return try? TableColumn(name, type: column["type"]?.stringValue ?? "string",
                                        format: column["format"]?.stringValue ?? "",
                                        description: column["description"]?.stringValue ?? "",
                                        priority: Int(column["priority"]?.intValue ?? 0), jsonPath: jsonPath)
            }
            if version["additionalPrinterColumns"] == nil, let age = try? TableColumn("Age", type: "date", jsonPath: ".metadata.creationTimestamp") {
                definition.printerColumns.append(age)
            }
            definition.patchStrategies = definition.schema.map(PatchStrategies.init(schema:)) ?? .customResource
            return definition
        }
    }

    private func reconcile(_ crd: JSONValue) {
        guard let group = crd[path: ["spec", "group"]]?.stringValue,
              let plural = crd[path: ["spec", "names", "plural"]]?.stringValue,
              let name = ObjectMetaRules.name(crd) else { return }
        if ObjectMetaRules.isDeleting(crd) {
            server.registry.setCustomResources(group: group, resource: plural, [])
            return
        }
        server.registry.setCustomResources(group: group, resource: plural, Self.definitions(of: crd))
        let desired = desiredStatus(crd)
        guard crd["status"] != desired else { return }
        let (_, event) = server.store.mutate(Self.crdKey, ObjectKey(namespace: "", name: name)) { current -> ObjectStore.Mutation in
            guard var current, current[path: ["metadata", "uid"]] == crd[path: ["metadata", "uid"]] else { return .unchanged }
            let status = desiredStatus(current)
            if current["status"] == status { return .unchanged }
            current["status"] = status
            return .put(current)
        }
        server.afterCommit(event)
    }

    private func desiredStatus(_ crd: JSONValue) -> JSONValue {
        let existing = crd["status"]
        func condition(_ type: String, _ reason: String, _ message: String) -> JSONValue {
            let previous = existing?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
            let time = previous?["status"]?.stringValue == "True" ? (previous?["lastTransitionTime"] ?? .string(server.now)) : .string(server.now)
            return ["type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
                    "lastTransitionTime": time]
        }
        var names = crd[path: ["spec", "names"]] ?? [:]
        names.setDefault(["singular"], names["plural"] ?? .null)
        var stored = existing?["storedVersions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let storage = crd[path: ["spec", "versions"]]?.arrayValue?.first(where: { $0["storage"]?.boolValue == true })?["name"]?.stringValue,
           !stored.contains(storage) {
            stored.append(storage)
        }
        return ["conditions": [condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                               condition("Established", "InitialNamesAccepted", "the initial names have been accepted")],
                "acceptedNames": names,
                "storedVersions": .array(stored.map { .string($0) })]
    }

    private func remove(_ crd: JSONValue) {
        guard let group = crd[path: ["spec", "group"]]?.stringValue,
              let plural = crd[path: ["spec", "names", "plural"]]?.stringValue else { return }
        server.registry.setCustomResources(group: group, resource: plural, [])
        let key = StorageKey(group: group, resource: plural)
        // Through afterCommit, so the garbage collector and watchers hear of every removal.
        for (objectKey, _) in server.store.list(key).items {
            let (_, event) = server.store.mutate(key, objectKey) { _ in .delete }
            server.afterCommit(event)
        }
    }
}
