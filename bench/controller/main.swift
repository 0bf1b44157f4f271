import APIMachinery
import Foundation
import KubeClient
import KubeModel
import Synchronization

// Controller benchmark, release build. A `causeway dev` API server (no controller of its own) and
// a `causeway controller` process; G Gateways with Services, then N HTTPRoutes created as fast as
// 16 writers can. Measured: time from the last create until every route reports Accepted (at
// its current generation), the controller's RSS and CPU, its status writes per second — and, as
// the peer measured in the same run, the same number of status writes sent straight to the API
// server by this process, which is the ceiling any controller's writes can reach here.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return Int(arguments[index + 1]) ?? fallback
}
let routeCount = option("--routes", 1000)
let gatewayCount = option("--gateways", 100)
let writers = option("--writers", 16)
let binary = arguments.firstIndex(of: "--causeway").map { arguments[$0 + 1] } ?? ".build-release/release/causeway"
let manifests = URL(fileURLWithPath: arguments.firstIndex(of: "--manifests").map { arguments[$0 + 1] } ?? "Manifests")

func procStatus(_ pid: Int32, _ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

/// CPU time (user + system) of a process, from /proc/PID/stat, in seconds.
func cpuSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command: state is field 3; utime and stime are fields 14 and 15.
    let utime = Double(fields[11]) ?? 0, stime = Double(fields[12]) ?? 0
    return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func startProcess(_ args: [String], output: FileHandle? = nil) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = args
    let pipe = Pipe()
    process.standardOutput = output ?? pipe
    process.standardError = output ?? pipe
    try process.run()
    return (process, pipe)
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("controller-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let kubeconfigPath = work.appendingPathComponent("kubeconfig").path
let (server, serverPipe) = try startProcess(["dev", "--insecure-http", "--port", "0", "--kubeconfig", kubeconfigPath, "--no-controller"])
var banner = ""
while !banner.contains("listening on") {
    let data = serverPipe.fileHandleForReading.availableData
    if data.isEmpty { fatalError("causeway dev exited: \(banner)") }
    banner += String(decoding: data, as: UTF8.self)
}
// Keep reading what it prints: a full pipe would block its logging, and with it the server.
serverPipe.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
var controller: Process?
defer {
    controller?.terminate()
    controller?.waitUntilExit()
    server.terminate()
    server.waitUntilExit()
    try? FileManager.default.removeItem(at: work)
}
var config = try KubeConfigFile(path: kubeconfigPath).clientConfig()
config.qps = 100_000
config.burst = 100_000
let client = KubeClient(config: config)
let crds = client.resource(ResourceDescriptor(
    group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false))
for directory in ["gateway-api/standard", "crds"] {
    for file in try FileManager.default.contentsOfDirectory(atPath: manifests.appendingPathComponent(directory).path).sorted() {
        let text = try String(contentsOf: manifests.appendingPathComponent(directory).appendingPathComponent(file), encoding: .utf8)
        for object in try JSONValue.documents(yaml: text) { _ = try await crds.create(object) }
    }
}
let gwAPI = { (resource: String, kind: String, namespaced: Bool) in
    client.resource(ResourceDescriptor(group: "gateway.networking.k8s.io", version: "v1", resource: resource, kind: kind, namespaced: namespaced))
}
let gatewayClasses = gwAPI("gatewayclasses", "GatewayClass", false)
let gateways = gwAPI("gateways", "Gateway", true)
let routes = gwAPI("httproutes", "HTTPRoute", true)
let slices = client.resource(ResourceDescriptor(group: "discovery.k8s.io", version: "v1", resource: "endpointslices", kind: "EndpointSlice", namespaced: true))
for name in ["causeway-system", "bench"] { _ = try await client.resource(.namespaces).create(["metadata": ["name": .string(name)]]) }
_ = try await gatewayClasses.create(["metadata": ["name": "causeway"], "spec": ["controllerName": "causeway.dev/gateway-controller"]])

func parallel(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<writers {
            group.addTask { for index in stride(from: worker, to: count, by: writers) { try await body(index) } }
        }
        try await group.waitForAll()
    }
}
try await parallel(gatewayCount) { index in
    _ = try await gateways.create([
        "metadata": ["name": .string("gw-\(index)"), "namespace": "bench"],
        "spec": ["gatewayClassName": "causeway", "listeners": [[
            "name": "http", "port": 80, "protocol": "HTTP", "allowedRoutes": ["namespaces": ["from": "All"]],
        ]]],
    ])
    _ = try await client.resource(.services).create([
        "metadata": ["name": .string("svc-\(index)"), "namespace": "bench"],
        "spec": ["ports": [["name": "http", "port": 8080, "targetPort": 9000]]],
    ])
    _ = try await slices.create([
        "metadata": ["name": .string("svc-\(index)-1"), "namespace": "bench", "labels": ["kubernetes.io/service-name": .string("svc-\(index)")]],
        "addressType": "IPv4", "ports": [["name": "http", "port": 9000]],
        "endpoints": [["addresses": .array([.string("10.9.\(index % 250).1")])], ["addresses": .array([.string("10.9.\(index % 250).2")])]],
    ])
}

let opsPort = 18_000 + Int(getpid() % 1000)
let (controllerProcess, controllerPipe) = try startProcess([
    "controller", "--kubeconfig", kubeconfigPath, "--namespace", "causeway-system", "--no-leader-elect",
    "--ops-port", String(opsPort), "--log-level", "warning",
    // An image `causeway dev` does not run: the data planes would run on other nodes of a real
    // cluster, and this measures the controller alone.
    "--proxy-image", "registry.invalid/gateway-proxy:bench",
])
controller = controllerProcess
let controllerLog = Mutex("")
controllerPipe.fileHandleForReading.readabilityHandler = { handle in
    let data = handle.availableData
    if !data.isEmpty { controllerLog.withLock { $0 += String(decoding: data, as: UTF8.self) } }
}
let pid = controllerProcess.processIdentifier

func acceptedGateways() async throws -> Int {
    try await gateways.listAll(namespace: "bench").items.filter { gateway in
        (gateway[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"] == "Accepted" && $0["status"] == "True"
        }
    }.count
}
let readyDeadline = ContinuousClock.now + .seconds(60)
while try await acceptedGateways() < gatewayCount {
    guard ContinuousClock.now < readyDeadline else { fatalError("gateways not accepted: \(controllerLog.withLock { $0 })") }
    try await Task.sleep(for: .milliseconds(100))
}
let idleRSS = procStatus(pid, "VmRSS")
print("causeway dev at \(config.server); controller pid \(pid); \(gatewayCount) Gateways accepted; controller RSS \(idleRSS / 1024) MiB")

/// Routes accepted at their current generation, counted from a watch that starts before the creates.
let accepted = Mutex<Set<String>>([])
let startRV = try await routes.list(namespace: "bench", options: ListOptions(limit: 1)).resourceVersion
let watchTask = Task {
    let stream = try await routes.watch(namespace: "bench", options: ListOptions(resourceVersion: startRV, timeoutSeconds: 600))
    for try await event in stream {
        let object = event.object
        guard let name = object.metaName else { continue }
        let generation = object.metaGeneration ?? 0
        let ok = (object[path: ["status", "parents"]]?.arrayValue ?? []).contains { parent in
            (parent["conditions"]?.arrayValue ?? []).contains {
                $0["type"] == "Accepted" && $0["status"] == "True" && $0["observedGeneration"]?.intValue == generation
            }
        }
        let count = accepted.withLock { set -> Int in
            if ok { set.insert(name) } else { set.remove(name) }
            return set.count
        }
        if count == routeCount { return }
    }
}

let cpuBefore = cpuSeconds(pid)
let createStart = ContinuousClock.now
try await parallel(routeCount) { index in
    _ = try await routes.create([
        "metadata": ["name": .string("route-\(index)"), "namespace": "bench"],
        "spec": [
            "parentRefs": [["name": .string("gw-\(index % gatewayCount)")]],
            "hostnames": [.string("r\(index).example.com")],
            "rules": [[
                "matches": [["path": ["type": "PathPrefix", "value": .string("/api/\(index)")]]],
                "backendRefs": [["name": .string("svc-\(index % gatewayCount)"), "port": 8080]],
            ]],
        ],
    ])
}
let lastCreate = ContinuousClock.now
var peakRSS = 0
var peakAnon = 0
let convergeDeadline = lastCreate + .seconds(300)
while accepted.withLock({ $0.count }) < routeCount, ContinuousClock.now < convergeDeadline {
    peakRSS = max(peakRSS, procStatus(pid, "VmRSS"))
    peakAnon = max(peakAnon, procStatus(pid, "RssAnon"))
    try await Task.sleep(for: .milliseconds(20))
}
let converged = ContinuousClock.now
watchTask.cancel()
let cpuUsed = cpuSeconds(pid) - cpuBefore
let done = accepted.withLock { $0.count }
peakRSS = max(peakRSS, procStatus(pid, "VmRSS"))
peakAnon = max(peakAnon, procStatus(pid, "RssAnon"))
let idleFile = procStatus(pid, "RssFile")
let hwm = procStatus(pid, "VmHWM")

var statusWrites = 0.0
if let response = try? await CurlTransport().execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(opsPort)/metrics")),
   let body = try? await response.collectBody() {
    for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
    where line.hasPrefix("causeway_controller_status_writes_total{kind=\"HTTPRoute\",outcome=\"written\"}") {
        statusWrites = Double(line.split(separator: " ").last ?? "0") ?? 0
    }
}
controllerProcess.terminate()
controllerProcess.waitUntilExit()
controller = nil

let sinceLast = (converged - lastCreate).seconds
let sinceFirst = (converged - createStart).seconds
print(String(format: "routes created:         %d in %.2f s (%.0f creates/s, %d writers)", routeCount, (lastCreate - createStart).seconds,
             Double(routeCount) / (lastCreate - createStart).seconds, writers))
print(String(format: "all Accepted:           %d of %d, %.2f s after the last create (%.2f s after the first)   (goal at 10,000: <= 5 s)",
             done, routeCount, sinceLast, sinceFirst))
print(String(format: "controller RSS:         %.1f MiB peak during the run, %.1f MiB high-water mark, %.1f MiB before the routes",
             Double(peakRSS) / 1024, Double(hwm) / 1024, Double(idleRSS) / 1024))
print(String(format: "  of which private:     %.1f MiB peak (RssAnon); the rest, %.1f MiB now, are pages of the causeway binary (RssFile, shared)",
             Double(peakAnon) / 1024, Double(idleFile) / 1024))
print(String(format: "controller CPU:         %.2f s for the run (%.2f ms per route)", cpuUsed, cpuUsed * 1000 / Double(routeCount)))
let controllerRate = statusWrites / sinceFirst
print(String(format: "route status writes:    %.0f written, %.0f/s over the run", statusWrites, controllerRate))

// Peer: the same number of status writes sent directly (one PUT per route, 16 at a time).
let all = try await routes.listAll(namespace: "bench").items
let peerStart = ContinuousClock.now
try await parallel(all.count) { index in
    var object = all[index]
    object[path: ["status", "parents"]] = .array([])
    _ = try await routes.updateStatus(object)
}
let peerRate = Double(all.count) / (ContinuousClock.now - peerStart).seconds
print(String(format: "peer, direct writes:    %.0f status writes/s from this process (16 at a time)", peerRate))
print(String(format: "ratio:                  controller at %.2fx of the direct write rate", controllerRate / peerRate))
