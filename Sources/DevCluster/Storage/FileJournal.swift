import Foundation
import KubeModel

/// Keeps the store on disk as an append-only log of committed events (one JSON line each),
/// compacted into a snapshot at every start. A restart replays it, so objects survive and the
/// revision counter keeps rising. Events are written by a `JournalWriter` after they commit.
public final class FileJournal: StoreJournal {
    private let directory: URL
    private let log: JournalLogFile
    private let openLog: @Sendable (URL) throws -> FileHandle
    private let writer: JournalWriter

    public convenience init(directory: URL) throws {
        try self.init(directory: directory, openLog: { try FileHandle(forWritingTo: $0) })
    }

    /// `openLog` opens the append-only log for writing (tests pass `/dev/full` to fill the disk).
    init(directory: URL, openLog: @escaping @Sendable (URL) throws -> FileHandle) throws {
        self.directory = directory
        self.openLog = openLog
        // Objects include Secrets: only the owner may read them.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        let log = JournalLogFile()
        self.log = log
        let path = directory.path
        writer = JournalWriter(
            write: { [log] events in
                var bytes: [UInt8] = []
                for event in events { bytes += FileJournal.line(for: event) }
                try log.append(bytes)
            },
            describeFailure: { error, revision in
                "writing the object journal in \(path) failed (\(error)); changes from revision \(revision) on are not "
                    + "on disk, so further writes are refused: free space there and restart causeway dev"
            })
    }

    public var failure: String? { writer.failure }

    public func flush() { writer.flush() }

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
        let file = try openLog(logURL)
        log.open(file)
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
        writer.append(event)
    }

    private static func line(for event: StoreEvent) -> [UInt8] {
        var entry = encodeEntry(event.storageKey, event.objectKey, event.object)
        entry["type"] = .string(event.kind.rawValue)
        entry["revision"] = .int(Int64(event.revision))
        var bytes = entry.serialized()
        bytes.append(0x0A)
        return bytes
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
