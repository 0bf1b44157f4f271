import APIMachinery
import Foundation
import Injection
import KubeModel

/// One golden case: the directory `Golden/<name>/` with
/// - `pod.yaml`: the pod as the API server would send it;
/// - `namespace.yaml` (optional): a Namespace whose name and labels the request carries; without
///   it the namespace is the pod's (else `default`) and its labels unknown, as in the webhook;
/// - `settings.yaml` (optional): `InjectionSettings` fields that differ from the defaults;
/// - exactly one expectation: `pod.injected.yaml`, `unchanged.txt` (the reason) or `error.txt`
///   (the message).
struct GoldenCase: CustomStringConvertible, Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    let name: String
    var description: String { name }

    static func all() throws -> [GoldenCase] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted().map(GoldenCase.init)
    }

    var directory: URL { Self.root.appendingPathComponent(name) }
    func url(_ file: String) -> URL { directory.appendingPathComponent(file) }
    func text(_ file: String) -> String? { try? String(contentsOf: url(file), encoding: .utf8) }

    func pod() throws -> JSONValue { try Self.single(text("pod.yaml") ?? "", file: "\(name)/pod.yaml") }

    func request() throws -> InjectionRequest {
        let pod = try pod()
        guard let namespaceText = text("namespace.yaml") else {
            return InjectionRequest(pod: pod, namespace: pod[path: ["metadata", "namespace"]]?.stringValue ?? "default")
        }
        let namespace = try Self.single(namespaceText, file: "\(name)/namespace.yaml")
        let labels = (namespace[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return InjectionRequest(pod: pod, namespace: namespace[path: ["metadata", "name"]]?.stringValue ?? "", namespaceLabels: labels)
    }

    func settings() throws -> InjectionSettings {
        guard let text = text("settings.yaml") else { return InjectionSettings() }
        return try Self.settings(from: Self.single(text, file: "\(name)/settings.yaml"))
    }

    /// What the case expects, from whichever expectation file exists.
    func expected() throws -> Expected? {
        if let text = text("pod.injected.yaml") { return .injected(try Self.single(text, file: "\(name)/pod.injected.yaml")) }
        if let text = text("unchanged.txt") { return .unchanged(text.trimmingCharacters(in: .newlines)) }
        if let text = text("error.txt") { return .error(text.trimmingCharacters(in: .newlines)) }
        return nil
    }

    enum Expected: Equatable {
        case injected(JSONValue)
        case unchanged(String)
        case error(String)
    }

    static let expectationFiles = ["pod.injected.yaml", "unchanged.txt", "error.txt"]

    /// Writes `actual` as the case's only expectation file (`CAUSEWAY_UPDATE_GOLDEN=1`).
    func write(_ actual: Expected) throws {
        for file in Self.expectationFiles { try? FileManager.default.removeItem(at: url(file)) }
        switch actual {
        case .injected(let pod): try pod.yamlString().write(to: url("pod.injected.yaml"), atomically: true, encoding: .utf8)
        case .unchanged(let reason): try (reason + "\n").write(to: url("unchanged.txt"), atomically: true, encoding: .utf8)
        case .error(let message): try (message + "\n").write(to: url("error.txt"), atomically: true, encoding: .utf8)
        }
    }

    static func single(_ yaml: String, file: String) throws -> JSONValue {
        let documents = try JSONValue.documents(yaml: yaml)
        guard documents.count == 1, let document = documents.first else { throw GoldenFailure("\(file): want one YAML document, found \(documents.count)") }
        return document
    }

    /// `settings.yaml` holds `InjectionSettings` fields by their Swift names.
    static func settings(from document: JSONValue) throws -> InjectionSettings {
        var settings = InjectionSettings()
        for (key, value) in document.objectValue ?? [:] {
            switch key {
            case "image": settings.image = try string(value, key)
            case "imagePullPolicy": settings.imagePullPolicy = try string(value, key)
            case "controlPlaneURL": settings.controlPlaneURL = try string(value, key)
            case "controlPlaneNamespace": settings.controlPlaneNamespace = try string(value, key)
            case "nativeSidecars": settings.nativeSidecars = value.boolValue ?? true
            case "logLevel": settings.logLevel = try string(value, key)
            case "proxyCPURequest": settings.proxyCPURequest = try string(value, key)
            case "proxyMemoryRequest": settings.proxyMemoryRequest = try string(value, key)
            case "proxyCPULimit": settings.proxyCPULimit = value.isNull ? nil : try string(value, key)
            case "proxyMemoryLimit": settings.proxyMemoryLimit = value.isNull ? nil : try string(value, key)
            case "injectorVersion": settings.injectorVersion = try string(value, key)
            default: throw GoldenFailure("settings.yaml: unknown field \(key)")
            }
        }
        return settings
    }

    private static func string(_ value: JSONValue, _ key: String) throws -> String {
        guard let text = value.stringValue else { throw GoldenFailure("settings.yaml: \(key) must be a string") }
        return text
    }
}

struct GoldenFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
