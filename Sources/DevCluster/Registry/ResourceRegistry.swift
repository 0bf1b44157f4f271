import Synchronization
import KubeModel

/// The set of served resources: the built-in table plus whatever the established CRDs add.
/// Read on every request, written only when a CRD changes, so a snapshot value behind a mutex.
public final class ResourceRegistry: Sendable {
    private let state: Mutex<[ResourceDefinition]>
    private let builtIn: [ResourceDefinition]

    public init() {
        builtIn = BuiltInResources.all
        state = Mutex(BuiltInResources.all)
    }

    public var all: [ResourceDefinition] { state.withLock { $0 } }

    public func lookup(group: String, version: String, resource: String) -> ResourceDefinition? {
        state.withLock { definitions in
            definitions.first { $0.group == group && $0.version == version && $0.resource == resource }
        }
    }

    /// Any served version of a resource (used by storage-level code that is version-agnostic).
    public func anyVersion(of key: StorageKey) -> ResourceDefinition? {
        state.withLock { definitions in
            definitions.first { $0.group == key.group && $0.resource == key.resource && $0.version == $0.storageVersion }
                ?? definitions.first { $0.group == key.group && $0.resource == key.resource }
        }
    }

    public func lookup(group: String, version: String, kind: String) -> ResourceDefinition? {
        state.withLock { definitions in
            definitions.first { $0.group == group && $0.version == version && $0.kind == kind }
        }
    }

    /// Group versions in discovery order: groups in order of first appearance, versions as served.
    public var groupVersions: [(group: String, versions: [String])] {
        var result: [(group: String, versions: [String])] = []
        for definition in all {
            if let index = result.firstIndex(where: { $0.group == definition.group }) {
                if !result[index].versions.contains(definition.version) { result[index].versions.append(definition.version) }
            } else {
                result.append((definition.group, [definition.version]))
            }
        }
        return result
    }

    public func resources(group: String, version: String) -> [ResourceDefinition] {
        all.filter { $0.group == group && $0.version == version }
    }

    /// Replaces what one CRD serves (all its versions) with `definitions`; empty removes it.
    public func setCustomResources(group: String, resource: String, _ definitions: [ResourceDefinition]) {
        state.withLock { current in
            current.removeAll { $0.isCustom && $0.group == group && $0.resource == resource }
            current.append(contentsOf: definitions)
        }
    }
}
