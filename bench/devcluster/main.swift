import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1
import Synchronization

// DevCluster benchmark: creates N custom resources over HTTP against a running `causeway dev`
// (a separate process, plain HTTP on loopback) while W watchers follow the collection, and prints
// creates/s, the server's RSS, and watch delivery latency from request send to event arrival.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return Int(arguments[index + 1]) ?? fallback
}
let objectCount = option("--objects", 10_000)
let watcherCount = option("--watchers", 10)
let connections = option("--connections", 8)
let binary = arguments.firstIndex(of: "--causeway").map { arguments[$0 + 1] } ?? ".build-release/release/causeway"

func rssKiB(_ pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("devcluster-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let server = Process()
server.executableURL = URL(fileURLWithPath: binary)
server.arguments = ["dev", "--insecure-http", "--port", "0", "--kubeconfig", work.appendingPathComponent("kubeconfig").path]
let pipe = Pipe()
server.standardOutput = pipe
try server.run()
var banner = ""
while !banner.contains("listening on") {
    let data = pipe.fileHandleForReading.availableData
    if data.isEmpty { fatalError("causeway dev exited: \(banner)") }
    banner += String(decoding: data, as: UTF8.self)
}
let url = banner.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init) ?? ""
let port = Int(url.split(separator: ":").last ?? "") ?? 0
print("causeway dev at \(url) (pid \(server.processIdentifier)), idle RSS \(rssKiB(server.processIdentifier) / 1024) MiB")

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let setup = try await SequentialClient.connect(host: "127.0.0.1", port: port, group: group)
let crd = #"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"things.bench.causeway.dev"},"spec":{"group":"bench.causeway.dev","scope":"Namespaced","names":{"plural":"things","singular":"thing","kind":"Thing"},"versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer","default":1},"owner":{"type":"string"}}}}}}}]}}"#
let crdStatus = try await setup.send(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: Array(crd.utf8))
precondition(crdStatus == 201, "creating the CRD returned \(crdStatus)")

let sent = Mutex<[String: ContinuousClock.Instant]>([:])
let latencies = Mutex<[Duration]>([])
let received = Atomic<Int>(0)
let nameMarker = Array(#""name":""#.utf8)
for _ in 0..<watcherCount {
    _ = try await ClientBootstrap(group: group)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(WatchLineHandler(
                    uri: "/apis/bench.causeway.dev/v1/namespaces/default/things?watch=true&resourceVersion=1&allowWatchBookmarks=true") { line, arrival in
                    // Find the object name without a full parse: the client must not be the bottleneck.
                    guard let start = line.firstRange(of: nameMarker)?.upperBound,
                          let end = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return }
                    let name = String(decoding: line[start..<end], as: UTF8.self)
                    guard let sentAt = sent.withLock({ $0[name] }) else { return }
                    latencies.withLock { $0.append(arrival - sentAt) }
                    received.add(1, ordering: .relaxed)
                })
            }
        }
        .connect(host: "127.0.0.1", port: port).get()
}

var clients: [SequentialClient] = []
for _ in 0..<connections { clients.append(try await SequentialClient.connect(host: "127.0.0.1", port: port, group: group)) }
let started = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { tasks in
    for (index, client) in clients.enumerated() {
        tasks.addTask {
            var next = index
            while next < objectCount {
                let name = "thing-\(next)"
                let body = Array(#"{"apiVersion":"bench.causeway.dev/v1","kind":"Thing","metadata":{"name":"\#(name)","labels":{"bench":"yes"}},"spec":{"owner":"team-\#(next % 17)"}}"#.utf8)
                sent.withLock { $0[name] = ContinuousClock.now }
                let status = try await client.send(.POST, "/apis/bench.causeway.dev/v1/namespaces/default/things", body: body)
                precondition(status == 201, "create returned \(status)")
                next += connections
            }
        }
    }
    try await tasks.waitForAll()
}
let elapsed = ContinuousClock.now - started
let loadedRSS = rssKiB(server.processIdentifier)
let deadline = ContinuousClock.now + .seconds(30)
while received.load(ordering: .relaxed) < objectCount * watcherCount, ContinuousClock.now < deadline {
    try await Task.sleep(for: .milliseconds(20))
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let sorted = latencies.withLock { $0 }.sorted()
func percentile(_ p: Double) -> String {
    guard !sorted.isEmpty else { return "n/a" }
    let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    return String(format: "%.2f ms", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
}
print("objects created:        \(objectCount) over \(connections) connections in \(String(format: "%.2f", seconds)) s")
print("creates/s:              \(String(format: "%.0f", Double(objectCount) / seconds))   (target >= 2000)")
print("server RSS after load:  \(loadedRSS / 1024) MiB")
print("watch events delivered: \(received.load(ordering: .relaxed)) of \(objectCount * watcherCount) (\(watcherCount) watchers)")
print("watch latency p50:      \(percentile(0.50))")
print("watch latency p99:      \(percentile(0.99))   (target < 10 ms)")
server.terminate()
server.waitUntilExit()
try? FileManager.default.removeItem(at: work)
try await group.shutdownGracefully()
