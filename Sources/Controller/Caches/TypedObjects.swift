import KubeClient
import KubeModel
import Synchronization

/// Typed views of an informer's objects, decoded once per resourceVersion: at 10,000 routes a
/// reconcile must not decode every route again because one changed.
final class TypedObjects<Object: Decodable & Sendable>: Sendable {
    private struct Entry {
        var resourceVersion: String
        var object: Object?
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let decoder = JSONValueDecoder()

    /// Every object the informer holds, typed; objects that do not decode are skipped and
    /// reported through `undecodable`.
    func objects(from informer: SharedInformer?, undecodable: (String, any Error) -> Void = { _, _ in }) -> [Object] {
        guard let informer else { return [] }
        let current = informer.cache.list()
        var result: [Object] = []
        result.reserveCapacity(current.count)
        var failures: [(String, any Error)] = []
        entries.withLock { entries in
            var seen = Set<String>()
            seen.reserveCapacity(current.count)
            for json in current {
                let key = json.objectKey
                seen.insert(key)
                let version = json.metaResourceVersion ?? ""
                if let entry = entries[key], entry.resourceVersion == version, !version.isEmpty {
                    if let object = entry.object { result.append(object) }
                    continue
                }
                do {
                    let object = try decoder.decode(Object.self, from: json)
                    entries[key] = Entry(resourceVersion: version, object: object)
                    result.append(object)
                } catch {
                    entries[key] = Entry(resourceVersion: version, object: nil)
                    failures.append((key, error))
                }
            }
            if entries.count > seen.count { entries = entries.filter { seen.contains($0.key) } }
        }
        for (key, error) in failures { undecodable(key, error) }
        return result
    }
}
