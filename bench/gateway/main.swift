import APIMachinery
import Foundation
import KubeClient
import KubeModel
import Synchronization

// Gateway path benchmark, release build: `causeway dev` (API server, kubelet, load balancer; no
// in-process controller) and a `causeway controller` process; the quick start's Gateway and echo
// backends. Measured, each in this run:
//   1. route programming latency: create one HTTPRoute, then time to its first 200 through the
//      Gateway and to Accepted in its status; p50/p99 over --changes creations, with --routes
//      other routes present;
//   2. endpoint propagation: rewrite a hand-made EndpointSlice to point at another pod, then time
//      until traffic reaches it; p50/p99, while --churn other slices change every second;
//   3. bytes the controller sent per change, and its CPU per second of churn;
//   and as the peer, a request straight to the echo pod (no gateway), to show what the
//   gateway adds to a round trip.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return Int(arguments[index + 1]) ?? fallback
}
let backgroundRoutes = option("--routes", 1000)
let changes = option("--changes", 100)
let churnPerSecond = option("--churn", 100)
let binary = arguments.firstIndex(of: "--causeway").map { arguments[$0 + 1] } ?? ".build-release/release/causeway"
let manifests = URL(fileURLWithPath: arguments.firstIndex(of: "--manifests").map { arguments[$0 + 1] } ?? "Manifests")
let quickstart = URL(fileURLWithPath: arguments.firstIndex(of: "--quickstart").map { arguments[$0 + 1] } ?? "examples/quickstart.yaml")
let portOffset = getuid() == 0 ? 0 : 8000

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func cpuSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// One HTTP/1.1 GET on a fresh connection: the status and the echo's pod name.
func get(_ address: String, _ port: Int, host: String, path: String) -> (status: Int, pod: String) {
    var hints = addrinfo()
    hints.ai_family = AF_INET
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var info: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(address, String(port), &hints, &info) == 0, let first = info else { return (0, "") }
    defer { freeaddrinfo(info) }
    let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 2, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else { return (0, "") }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 8192)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
    var pod = ""
    if let range = text.range(of: "\"pod\": \"") {
        pod = String(text[range.upperBound...].prefix { $0 != "\"" })
    }
    return (status, pod)
}

/// A process's collected output.
final class Output: Sendable {
    private let text = Mutex("")
    func append(_ more: String) { text.withLock { $0 += more } }
    func contains(_ needle: String) -> Bool { text.withLock { $0.contains(needle) } }
}

func run(_ args: [String]) throws -> (Process, Output) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = args
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let output = Output()
    pipe.fileHandleForReading.readabilityHandler = { handle in
        let data = handle.availableData
        if !data.isEmpty { output.append(String(decoding: data, as: UTF8.self)) }
    }
    try process.run()
    return (process, output)
}

func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { fatalError("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let kubeconfig = work.appendingPathComponent("kubeconfig").path
let (dev, devLog) = try run(["dev", "--insecure-http", "--port", "0", "--kubeconfig", kubeconfig, "--no-controller"])
try await waitFor("causeway dev") { devLog.contains("listening on") }
var controllerProcess: Process?
defer {
    controllerProcess?.terminate()
    controllerProcess?.waitUntilExit()
    dev.terminate()
    dev.waitUntilExit()
    try? FileManager.default.removeItem(at: work)
}
var config = try KubeConfigFile(path: kubeconfig).clientConfig()
config.qps = 100_000
config.burst = 100_000
let client = KubeClient(config: config)
func resource(_ group: String, _ version: String, _ plural: String, _ kind: String, namespaced: Bool = true) -> DynamicResourceClient {
    client.resource(ResourceDescriptor(group: group, version: version, resource: plural, kind: kind, namespaced: namespaced))
}
let crds = resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false)
for directory in ["gateway-api/standard", "crds"] {
    for file in try FileManager.default.contentsOfDirectory(atPath: manifests.appendingPathComponent(directory).path).sorted() {
        for object in try JSONValue.documents(yaml: String(contentsOf: manifests.appendingPathComponent(directory).appendingPathComponent(file), encoding: .utf8)) {
            _ = try await crds.create(object)
        }
    }
}
_ = try await client.resource(.namespaces).create(["metadata": ["name": "causeway-system"]])
let routes = resource("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute")
let gateways = resource("gateway.networking.k8s.io", "v1", "gateways", "Gateway")
let slices = resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice")
_ = try await resource("gateway.networking.k8s.io", "v1", "gatewayclasses", "GatewayClass", namespaced: false).create(
    ["metadata": ["name": "causeway"], "spec": ["controllerName": "causeway.dev/gateway-controller"]])

// The controller as its own process, so its CPU is its own.
let configPort = 20_000 + Int(getpid() % 5000)
let opsPort = configPort + 1
let (controller, controllerLog) = try run([
    "controller", "--kubeconfig", kubeconfig, "--namespace", "causeway-system", "--no-leader-elect", "--ops-port", String(opsPort),
    "--config-address", "127.0.0.1", "--config-port", String(configPort), "--control-plane-url", "https://127.0.0.1:\(configPort)",
    "--proxy-image", "causeway:bench", "--log-level", "warning",
])
controllerProcess = controller
for object in try JSONValue.documents(yaml: String(contentsOf: quickstart, encoding: .utf8)) {
    let kind = object["kind"]?.stringValue ?? ""
    let target: DynamicResourceClient
    switch kind {
    case "Gateway": target = gateways
    case "HTTPRoute": target = routes
    case "Deployment": target = resource("apps", "v1", "deployments", "Deployment")
    default: target = client.resource(.services)
    }
    _ = try await target.create(object)
}
var address = ""
try await waitFor("the Gateway's address and first 200", timeout: .seconds(90)) {
    let gateway = try await gateways.get("quickstart", namespace: "default")
    address = gateway[path: ["status", "addresses"]]?.arrayValue?.first?["value"]?.stringValue ?? ""
    return !address.isEmpty && get(address, 80 + portOffset, host: "api.example.com", path: "/v1/users").status == 200
}
let echoPod = try await client.resource(.pods).list(namespace: "default", options: ListOptions(labelSelector: "version=v1")).items[0]
let echoIP = echoPod[path: ["status", "podIP"]]?.stringValue ?? ""
let otherPod = try await client.resource(.pods).list(namespace: "default", options: ListOptions(labelSelector: "version=v2")).items[0]
let otherIP = otherPod[path: ["status", "podIP"]]?.stringValue ?? ""
print("gateway at \(address):\(80 + portOffset); controller pid \(controller.processIdentifier); echo pods \(echoIP), \(otherIP)")

// Peer: the same request straight to an echo pod, and through the Gateway.
var direct: [Double] = []
var viaGateway: [Double] = []
for _ in 0..<200 {
    let a = ContinuousClock.now
    _ = get(echoIP, 8080, host: "api.example.com", path: "/v1/users")
    direct.append((ContinuousClock.now - a).seconds * 1000)
    let b = ContinuousClock.now
    _ = get(address, 80 + portOffset, host: "api.example.com", path: "/v1/users")
    viaGateway.append((ContinuousClock.now - b).seconds * 1000)
}
print(String(format: "round trip, new connection each:  direct to the pod p50 %.2f ms p99 %.2f ms; through the gateway p50 %.2f ms p99 %.2f ms",
             percentile(direct, 0.5), percentile(direct, 0.99), percentile(viaGateway, 0.5), percentile(viaGateway, 0.99)))

// Background routes, applied at once: time until they all serve (the last one created and a
// sample of the others answer through the Gateway).
let applyStart = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<16 {
        group.addTask {
            for index in stride(from: worker, to: backgroundRoutes, by: 16) {
                _ = try await routes.create([
                    "metadata": ["name": .string("bg-\(index)"), "namespace": "default"],
                    "spec": ["parentRefs": [["name": "quickstart"]], "hostnames": [.string("bg\(index).example.com")],
                             "rules": [["backendRefs": [["name": "users-v1", "port": 8080]]]]],
                ])
            }
        }
    }
    try await group.waitForAll()
}
let applied = ContinuousClock.now
let sample = [max(0, backgroundRoutes - 1)] + (0..<20).map { _ in Int.random(in: 0..<max(1, backgroundRoutes)) }
var pending = Set(sample)
try await waitFor("background routes to serve", timeout: .seconds(300)) {
    pending = pending.filter { get(address, 80 + portOffset, host: "bg\($0).example.com", path: "/").status != 200 }
    return pending.isEmpty
}
let allServing = ContinuousClock.now
print(String(format: "%d routes applied at once: created in %.2f s, all serving %.2f s after the last create (%.2f s in all; goal <= 5 s at 10,000)",
             backgroundRoutes, (applied - applyStart).seconds, (allServing - applied).seconds, (allServing - applyStart).seconds))

func metric(_ name: String) async -> Double {
    guard let response = try? await CurlTransport().execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(opsPort)/metrics")),
          let body = try? await response.collectBody() else { return 0 }
    return String(decoding: body, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix(name) }
        .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
}

// 1. Route programming latency.
var toServe: [Double] = []
var toAccepted: [Double] = []
let bytesBefore = await metric("causeway_controller_config_bytes_total")
for change in 0..<changes {
    let host = "probe\(change).example.com"
    let start = ContinuousClock.now
    _ = try await routes.create([
        "metadata": ["name": .string("probe-\(change)"), "namespace": "default"],
        "spec": ["parentRefs": [["name": "quickstart"]], "hostnames": [.string(host)],
                 "rules": [["backendRefs": [["name": "users-v1", "port": 8080]]]]],
    ])
    var served: Double?
    var accepted: Double?
    while served == nil || accepted == nil {
        if served == nil, get(address, 80 + portOffset, host: host, path: "/").status == 200 {
            served = (ContinuousClock.now - start).seconds * 1000
        }
        if accepted == nil {
            let route = try await routes.get("probe-\(change)", namespace: "default")
            let ok = (route[path: ["status", "parents"]]?.arrayValue ?? []).contains { parent in
                (parent["conditions"]?.arrayValue ?? []).contains { $0["type"] == "Accepted" && $0["status"] == "True" }
            }
            if ok { accepted = (ContinuousClock.now - start).seconds * 1000 }
        }
        if (ContinuousClock.now - start) > .seconds(30) { fatalError("route \(change) did not program in 30 s") }
    }
    toServe.append(served!)
    toAccepted.append(accepted!)
}
let bytesAfter = await metric("causeway_controller_config_bytes_total")
print(String(format: "route programming, %d routes present: first 200 p50 %.0f ms p99 %.0f ms; Accepted p50 %.0f ms p99 %.0f ms (goal p99 <= 200 ms at 1,000)",
             backgroundRoutes, percentile(toServe, 0.5), percentile(toServe, 0.99), percentile(toAccepted, 0.5), percentile(toAccepted, 0.99)))
print(String(format: "bytes sent per route change: %.0f (all proxies of the Gateway; full configurations)", (bytesAfter - bytesBefore) / Double(changes)))

// 2. Endpoint propagation under churn: a Service without selector and a slice written by hand.
_ = try await client.resource(.services).create([
    "metadata": ["name": "moving", "namespace": "default"], "spec": ["ports": [["name": "http", "port": 8080]]],
])
func slice(_ name: String, service: String, ip: String) -> JSONValue {
    ["metadata": ["name": .string(name), "namespace": "default", "labels": ["kubernetes.io/service-name": .string(service)]],
     "addressType": "IPv4", "ports": [["name": "http", "port": 8080]], "endpoints": [["addresses": [.string(ip)]]]]
}
_ = try await slices.create(slice("moving-1", service: "moving", ip: echoIP))
_ = try await routes.create([
    "metadata": ["name": "moving", "namespace": "default"],
    "spec": ["parentRefs": [["name": "quickstart"]], "hostnames": ["moving.example.com"],
             "rules": [["backendRefs": [["name": "moving", "port": 8080]]]]],
])
try await waitFor("the moving route") { get(address, 80 + portOffset, host: "moving.example.com", path: "/").status == 200 }
let churnCount = max(1, churnPerSecond)
for index in 0..<churnCount {
    _ = try await client.resource(.services).create(["metadata": ["name": .string("churn-\(index)"), "namespace": "default"],
                                                      "spec": ["ports": [["name": "http", "port": 8080]]]])
    _ = try await slices.create(slice("churn-\(index)-1", service: "churn-\(index)", ip: "198.51.100.\(index % 250 + 1)"))
    // Each churning Service is a backend of a route, so its changes reach the proxies.
    _ = try await routes.create([
        "metadata": ["name": .string("churn-\(index)"), "namespace": "default"],
        "spec": ["parentRefs": [["name": "quickstart"]], "hostnames": [.string("churn\(index).example.com")],
                 "rules": [["backendRefs": [["name": .string("churn-\(index)"), "port": 8080]]]]],
    ])
}
let churning = Task {
    var round = 0
    while !Task.isCancelled {
        let started = ContinuousClock.now
        round += 1
        for index in 0..<churnCount {
            _ = try? await slices.patch("churn-\(index)-1", namespace: "default", kind: .merge,
                                        patch: ["endpoints": [["addresses": [.string("198.51.100.\((index + round) % 250 + 1)")]]]])
        }
        let spent = ContinuousClock.now - started
        if spent < .seconds(1) { try? await Task.sleep(for: .seconds(1) - spent) }
    }
}
// Measure once the churning routes are programmed: endpoint changes under slice churn, not
// behind the full configurations their creation sent.
// (Their backends are TEST-NET addresses, which some sandboxes answer themselves, so their
// status is watched rather than their traffic.)
try await waitFor("the churning routes", timeout: .seconds(120)) {
    let route = try await routes.get("churn-\(churnCount - 1)", namespace: "default")
    return (route[path: ["status", "parents"]]?.arrayValue ?? []).contains { parent in
        (parent["conditions"]?.arrayValue ?? []).contains { $0["type"] == "Accepted" && $0["status"] == "True" }
    }
}
try await Task.sleep(for: .seconds(3))
let cpuStart = cpuSeconds(controller.processIdentifier)
let churnStart = ContinuousClock.now
var propagation: [Double] = []
for round in 0..<100 {
    let target = round % 2 == 0 ? otherIP : echoIP
    let expected = round % 2 == 0 ? "users-v2" : "users-v1"
    let start = ContinuousClock.now
    _ = try await slices.patch("moving-1", namespace: "default", kind: .merge, patch: ["endpoints": [["addresses": [.string(target)]]]])
    while !get(address, 80 + portOffset, host: "moving.example.com", path: "/").pod.hasPrefix(expected) {
        if ContinuousClock.now - start > .seconds(30) { fatalError("endpoint change did not reach the gateway in 30 s") }
    }
    propagation.append((ContinuousClock.now - start).seconds * 1000)
}
// CPU over at least 10 s of churn, so the figure does not hang on a few scheduler ticks.
let churnElapsed = ContinuousClock.now - churnStart
if churnElapsed < .seconds(10) { try await Task.sleep(for: .seconds(10) - churnElapsed) }
let churnSeconds = (ContinuousClock.now - churnStart).seconds
let cpuUsed = cpuSeconds(controller.processIdentifier) - cpuStart
churning.cancel()
print(String(format: "endpoint propagation, %d slices/s churning: p50 %.0f ms p99 %.0f ms (goal p99 <= 1 s)",
             churnCount, percentile(propagation, 0.5), percentile(propagation, 0.99)))
print(String(format: "controller CPU during churn: %.0f%% of a core (%.2f s over %.1f s)", cpuUsed / churnSeconds * 100, cpuUsed, churnSeconds))
print(String(format: "endpoint messages sent: %.0f, %.0f bytes in all", await metric("causeway_controller_config_messages_total{type=\"endpoints\"}"),
             await metric("causeway_controller_config_bytes_total{type=\"endpoints\"}")))
_ = controllerLog
