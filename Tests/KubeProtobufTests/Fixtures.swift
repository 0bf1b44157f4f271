import Foundation
import KubeModel

/// Bodies captured from kubectl v1.32 (`kubectl create … ` against a recording server) and, where
/// kubectl offers it, the JSON it prints for the same command with `--dry-run=client -o json`.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func body(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("\(name).bin")))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: Array(try Data(contentsOf: directory.appendingPathComponent("\(name).json"))))
    }

    /// Every fixture that has both a captured body and kubectl's JSON for it.
    static var pairedNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
            .filter { files.contains("\($0).bin") }.sorted()
    }

    static var allBodies: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".bin") }.map { String($0.dropLast(4)) }.sorted()
    }
}

extension JSONValue {
    /// The value without `null` members: kubectl's JSON writes a zero `metav1.Time` as
    /// `"creationTimestamp": null`, which the decoder leaves out.
    var droppingNulls: JSONValue {
        switch self {
        case .object(let members):
            return .object(members.filter { !$0.value.isNull }.mapValues(\.droppingNulls))
        case .array(let elements):
            return .array(elements.map(\.droppingNulls))
        default:
            return self
        }
    }
}
