import APIMachinery
import ArgumentParser
import Foundation
import Injection
import KubeModel

/// `causeway inject`: what the sidecar-injection webhook would do, offline — for a look before
/// labelling a namespace, for clusters where the webhook cannot run, and for CI:
///
///     kubectl get deploy web -o yaml | causeway inject -f - | kubectl apply -f -
///
/// It calls the same `Injector.inject` (and `Injector.patch`, with `-o patch`) as the webhook.
struct InjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inject",
        abstract: "Add the mesh's sidecar to Pods and workloads offline, as the injection webhook would.",
        discussion: """
            Reads Pods, or Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and \
            CronJobs (whose pod templates it injects), from YAML or JSON (several documents, or a List). Other \
            objects pass through unchanged. Why an object is left alone is said on standard error; an invalid \
            causeway.dev annotation fails the command, as the webhook would refuse the pod.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case yaml, json, patch
    }

    @Option(name: [.customShort("f"), .customLong("filename")], help: "File to read ('-' for standard input).")
    var filename: String

    @Option(help: "Namespace the objects run in (default: each object's own, else 'default').")
    var namespace: String?

    @Option(help: "The namespace's labels, as k=v,k2=v2; without them the namespace counts as in the mesh.")
    var namespaceLabels: String?

    @Flag(help: "Inject a classic sidecar (the proxy first among the containers), for clusters without native sidecars.")
    var classicSidecar = false

    @Option(help: "The Causeway image the injected containers run.")
    var image: String = InjectionSettings().image

    @Option(help: "The control plane's configuration server the sidecar connects to.")
    var controlPlane: String = InjectionSettings().controlPlaneURL

    @Option(help: "The control plane's namespace, whose pods are never injected.")
    var controlPlaneNamespace: String = InjectionSettings().controlPlaneNamespace

    @Option(name: [.customShort("o"), .long], help: "Output: yaml, json, or patch (the JSON Patch the webhook would return, per object).")
    var output: OutputFormat = .yaml

    func run() throws {
        let labels = try parsedNamespaceLabels()
        var settings = InjectionSettings()
        settings.image = image
        settings.controlPlaneURL = controlPlane
        settings.controlPlaneNamespace = controlPlaneNamespace
        settings.nativeSidecars = !classicSidecar

        let text: String
        do {
            text = try filename == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : String(contentsOfFile: filename, encoding: .utf8)
        } catch {
            throw InjectCommandFailure("cannot read \(filename): \(error.localizedDescription)")
        }
        let documents = try Self.documents(text, source: filename == "-" ? "standard input" : filename)

        var injector = WorkloadInjector(settings: settings, namespace: namespace, namespaceLabels: labels)
        let results = documents.map { injector.inject($0) }
        for note in injector.notes { Self.standardError("causeway inject: \(note)") }
        guard injector.failures.isEmpty else {
            for failure in injector.failures { Self.standardError("causeway inject: \(failure)") }
            throw ExitCode.failure
        }
        print(render(original: documents, results: results), terminator: "")
    }

    private func render(original: [JSONValue], results: [JSONValue]) -> String {
        switch output {
        case .yaml:
            return results.map { $0.yamlString() }.joined(separator: "---\n")
        case .json:
            let value = results.count == 1 ? results[0] : ["apiVersion": "v1", "kind": "List", "items": .array(results)]
            return value.prettyJSONString + "\n"
        case .patch:
            // One JSON array per input document, in order (a JSON stream `jq` reads).
            return zip(original, results).map { JSONValue.array(Injector.patch(from: $0, to: $1)).prettyJSONString + "\n" }.joined()
        }
    }

    /// The objects of a multi-document YAML (or JSON) text, each document parsed on its own:
    /// `JSONValue.documents(yaml:)` ends without an error at the first malformed document (Yams
    /// keeps that error on its sequence), and a half-read file must not come out as if whole,
    /// to be applied.
    static func documents(_ text: String, source: String) throws -> [JSONValue] {
        var chunks: [[Substring]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "---" || line == "..." {
                chunks.append([])
            } else if line.hasPrefix("--- ") {
                chunks.append([line.dropFirst(4)])
            } else {
                chunks[chunks.count - 1].append(line)
            }
        }
        var documents: [JSONValue] = []
        for (index, chunk) in chunks.enumerated() {
            let hasContent = chunk.contains { line in
                let content = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
                return !content.isEmpty && !content.hasPrefix("#")
            }
            guard hasContent else { continue }
            let parsed = try? JSONValue.documents(yaml: chunk.joined(separator: "\n"))
            guard let parsed, parsed.count == 1, parsed[0].objectValue != nil else {
                throw InjectCommandFailure("document \(index + 1) of \(source) is not a YAML or JSON object")
            }
            documents.append(parsed[0])
        }
        guard !documents.isEmpty else { throw InjectCommandFailure("\(source) holds no objects") }
        return documents
    }

    func validate() throws {
        _ = try parsedNamespaceLabels()
    }

    private func parsedNamespaceLabels() throws -> [String: String]? {
        guard let namespaceLabels else { return nil }
        var labels: [String: String] = [:]
        for pair in namespaceLabels.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--namespace-labels wants k=v pairs separated by commas, got \"\(pair)\"")
            }
            labels[String(parts[0])] = String(parts[1])
        }
        return labels
    }

    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Injects the pod, or the pod template, of each object, noting what it skipped and why.
struct WorkloadInjector {
    let settings: InjectionSettings
    let namespace: String?
    let namespaceLabels: [String: String]?
    private(set) var notes: [String] = []
    private(set) var failures: [String] = []

    init(settings: InjectionSettings, namespace: String?, namespaceLabels: [String: String]?) {
        self.settings = settings
        self.namespace = namespace
        self.namespaceLabels = namespaceLabels
    }

    /// Where each kind keeps the pod it runs.
    static let podPaths: [String: [String]] = [
        "Pod": [],
        "Deployment": ["spec", "template"], "StatefulSet": ["spec", "template"], "DaemonSet": ["spec", "template"],
        "ReplicaSet": ["spec", "template"], "ReplicationController": ["spec", "template"], "Job": ["spec", "template"],
        "CronJob": ["spec", "jobTemplate", "spec", "template"],
    ]

    mutating func inject(_ object: JSONValue) -> JSONValue {
        let kind = object["kind"]?.stringValue ?? ""
        if kind == "List" || kind.hasSuffix("List"), let items = object["items"]?.arrayValue {
            var list = object
            list["items"] = .array(items.map { inject($0) })
            return list
        }
        guard let path = Self.podPaths[kind], let pod = object[path: path] else { return object }
        let objectNamespace = object[path: ["metadata", "namespace"]]?.stringValue
        let namespace = self.namespace ?? objectNamespace ?? "default"
        let name = object[path: ["metadata", "name"]]?.stringValue ?? object[path: ["metadata", "generateName"]]?.stringValue ?? "?"
        let subject = "\(kind) \(namespace)/\(name)"
        do {
            let request = InjectionRequest(pod: pod, namespace: namespace, namespaceLabels: namespaceLabels)
            switch try Injector.inject(request, settings: settings) {
            case .injected(let injected):
                var result = object
                if path.isEmpty { result = injected } else { result[path: path] = injected }
                return result
            case .unchanged(let reason):
                notes.append("\(subject): not injected: \(reason)")
                return object
            }
        } catch {
            failures.append("\(subject): \(error.message)")
            return object
        }
    }
}

struct InjectCommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
