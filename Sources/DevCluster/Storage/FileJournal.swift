import Foundation
import Synchronization
import KubeModel

/// Keeps the store on disk as an append-only log of committed events (one JSON line each),
/// compacted into a snapshot at every start. A restart replays it, so objects survive and the
/// revision counter keeps rising.
public final class FileJournal: StoreJournal {
    private let directory: URL
    private let handle: Mutex<FileHandle?>

    public init(directory: URL) throws {
        self.directory = directory
        // Objects include Secrets: only the owner may read them.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        handle = Mutex(nil)
    }

    private var snapshotURL: URL { directory.appendingPathComponent("snapshot.json") }
    private var logURL: URL { directory.appendingPathComponent("log.jsonl") }

    public func recover() throws -> (collections: [StorageKey: [ObjectKey: JSONValue]], revision: UInt64) {
        var collections: [StorageKey: [ObjectKey: JSONValue]] = [:]
        var revision: UInt64 = 0
        if let data = FileManager.default.contents(atPath: snapshotURL.path), !data.isEmpty {
            let snapshot = try JSONValue(parsing: Array(data))
            revision = UInt64(snapshot["revision"]?.intValue ?? 0)
            for entry in snapshot["objects"]?.arrayValue ?? [] {
                guard let (key, objectKey, object) = Self.decodeEntry(entry) else { continue }
                collections[key, default: [:]][objectKey] = object
            }
        }
        if let data = FileManager.default.contents(atPath: logURL.path) {
            // A torn last line (a crash mid-write) is dropped: everything before it was committed.
            for line in data.split(separator: 0x0A) {
                guard let entry = try? JSONValue(parsing: Array(line)),
                      let (key, objectKey, object) = Self.decodeEntry(entry) else { continue }
                let entryRevision = UInt64(entry["revision"]?.intValue ?? 0)
                guard entryRevision > revision || entryRevision == 0 else { continue }
                if entry["type"]?.stringValue == StoreEvent.Kind.deleted.rawValue {
                    collections[key]?[objectKey] = nil
                } else {
                    collections[key, default: [:]][objectKey] = object
                }
                revision = max(revision, entryRevision)
            }
        }
        try writeSnapshot(collections, revision: revision)
        try? FileManager.default.removeItem(at: logURL)
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let file = try FileHandle(forWritingTo: logURL)
        handle.withLock { $0 = file }
        return (collections, revision)
    }

    private func writeSnapshot(_ collections: [StorageKey: [ObjectKey: JSONValue]], revision: UInt64) throws {
        var objects: [JSONValue] = []
        for (key, collection) in collections {
            for (objectKey, object) in collection {
                objects.append(Self.encodeEntry(key, objectKey, object))
            }
        }
        let snapshot: JSONValue = ["revision": .int(Int64(revision)), "objects": .array(objects)]
        try Data(snapshot.serialized()).write(to: snapshotURL, options: .atomic)
    }

    public func append(_ event: StoreEvent) {
        var entry = Self.encodeEntry(event.storageKey, event.objectKey, event.object)
        entry["type"] = .string(event.kind.rawValue)
        entry["revision"] = .int(Int64(event.revision))
        var bytes = entry.serialized()
        bytes.append(0x0A)
        handle.withLock { $0?.write(Data(bytes)) }
    }

    private static func encodeEntry(_ key: StorageKey, _ objectKey: ObjectKey, _ object: JSONValue) -> JSONValue {
        ["group": .string(key.group), "resource": .string(key.resource), "namespace": .string(objectKey.namespace),
         "name": .string(objectKey.name), "object": object]
    }

    private static func decodeEntry(_ entry: JSONValue) -> (StorageKey, ObjectKey, JSONValue)? {
        guard let group = entry["group"]?.stringValue, let resource = entry["resource"]?.stringValue,
              let namespace = entry["namespace"]?.stringValue, let name = entry["name"]?.stringValue,
              let object = entry["object"] else { return nil }
        return (StorageKey(group: group, resource: resource), ObjectKey(namespace: namespace, name: name), object)
    }
}
